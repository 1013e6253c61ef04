using System.Globalization;
using Xen.Abi;
using Xen.Abi.Hvm;
using Xen.Abi.Io;
using Xen.Nexus.Hypercalls;
using Xen.Services.Xenbus;

namespace Xen.Simulator.Dom0;

/// <summary>
/// The toolstack (libxl's role, from dom0): builds a guest (its store page in the guest's memory, an unbound port for
/// dom0, <c>HVM_PARAM_STORE_PFN</c>/<c>STORE_EVTCHN</c>, its console page and port in
/// <c>HVM_PARAM_CONSOLE_PFN</c>/<c>CONSOLE_EVTCHN</c> handed to the <see cref="ConsoleDaemon"/>, the <c>/local/domain/N</c> and <c>/vm</c> trees with
/// libxl's permissions, then <c>XS_INTRODUCE</c>), adds and removes devices (frontend and backend trees in one
/// transaction, served by the backend registered with <see cref="ServeWith"/> or else a <see cref="StandInBackend"/>), asks for shutdowns and destroys guests.
/// </summary>
public sealed class Toolstack
{
    private readonly SimulatedDom0 dom0;
    private readonly Dictionary<string, IAsyncDisposable> backends = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DeviceBackendFactory> factories = new(StringComparer.Ordinal);

    internal Toolstack(SimulatedDom0 dom0) => this.dom0 = dom0;

    /// <summary>The backend serving <paramref name="backendPath"/>, or null.</summary>
    public IAsyncDisposable? BackendAt(string backendPath)
    {
        lock (backends) return backends.GetValueOrDefault(backendPath);
    }

    private XenStoreClient Store => dom0.Store;

    /// <summary>
    /// Serves devices of <paramref name="kind"/> (<c>vbd</c>, <c>vif</c>) added from now on with <paramref name="factory"/> instead of a
    /// <see cref="StandInBackend"/> (the hotplug script starting the real backend).
    /// </summary>
    public void ServeWith(string kind, DeviceBackendFactory factory)
    {
        lock (factories) factories[kind] = factory;
    }

    /// <summary>Creates domain <c>name</c>, writes its tree and introduces it to xenstored.</summary>
    public async Task<SimulatedDomain> CreateGuestAsync(string name, DomainConfiguration configuration)
    {
        var domain = dom0.Xen.CreateDomain(configuration);
        uint domid = domain.DomainId;
        var storeGfn = domain.Memory.AllocateFrames(1); // libxl places it among the guest's special pages
        var port = AllocUnbound(domid);
        SetParam(domid, (uint)Params.HvmParamStorePfn, storeGfn);
        SetParam(domid, (uint)Params.HvmParamStoreEvtchn, port);
        var consoleGfn = domain.Memory.AllocateFrames(1);
        var consolePort = AllocUnbound(domid);
        SetParam(domid, (uint)Params.HvmParamConsolePfn, consoleGfn);
        SetParam(domid, (uint)Params.HvmParamConsoleEvtchn, consolePort);
        dom0.Consoles.Connect(domid, consoleGfn, consolePort);
        await WriteDomainTreeAsync(domid, name).ConfigureAwait(false);
        await Store.IntroduceAsync(domid, storeGfn, port).ConfigureAwait(false);
        dom0.Log($"toolstack: domain {domid} \"{name}\" created (store gfn 0x{storeGfn:x}, port {port})");
        return domain;
    }

    /// <summary>libxl__domain_make's tree: the home read-only to the guest, its writable subdirectories owned by it.</summary>
    private async Task WriteDomainTreeAsync(uint domid, string name)
    {
        var home = DevicePaths.Home(domid);
        var uuid = $"00000000-0000-0000-0000-{domid:x12}";
        var vm = "/vm/" + uuid;
        var readOnly = XsPermissions.From([new XsPermission(0, XsAccess.None), new XsPermission(domid, XsAccess.Read)]);
        var guestOwned = XsPermissions.OwnedBy(domid);
        await Store.RunTransactionAsync(async t =>
        {
            foreach (var dir in new[] { vm, home, $"{home}/cpu", $"{home}/memory", $"{home}/device", $"{home}/control" })
            {
                await t.MkdirAsync(dir).ConfigureAwait(false);
                await t.SetPermissionsAsync(dir, readOnly).ConfigureAwait(false);
            }
            await t.WriteAsync($"{vm}/name", name).ConfigureAwait(false);
            await t.WriteAsync($"{vm}/uuid", uuid).ConfigureAwait(false);
            foreach (var node in new[] { "control/shutdown", "control/feature-poweroff", "control/feature-reboot", "control/feature-suspend",
                                         "control/sysrq", "data", "drivers", "feature", "attr", "error", "device/suspend/event-channel" })
            {
                await t.WriteAsync($"{home}/{node}", "").ConfigureAwait(false);
                await t.SetPermissionsAsync($"{home}/{node}", guestOwned).ConfigureAwait(false);
            }
            await t.WriteAsync($"{home}/name", name).ConfigureAwait(false);
            await t.WriteAsync($"{home}/domid", domid.ToString(CultureInfo.InvariantCulture)).ConfigureAwait(false);
            await t.WriteAsync($"{home}/vm", vm).ConfigureAwait(false);
            await t.WriteAsync($"{home}/memory/static-max", (dom0.Xen.Domain((ushort)domid)!.Configuration.MemoryFrames * 4).ToString(CultureInfo.InvariantCulture)).ConfigureAwait(false);
        }).ConfigureAwait(false);
    }

    /// <summary>
    /// libxl__device_generic_add: the frontend directory (owned by the guest, readable by the backend) and the
    /// backend directory (owned by the backend domain, readable by the guest), in one transaction; then the backend starts.
    /// </summary>
    public async Task AddDeviceAsync(uint domid, DeviceSpec device)
    {
        var frontend = DevicePaths.Frontend(domid, device);
        var backend = DevicePaths.Backend(domid, device);
        var initialising = ((uint)XenbusState.XenbusStateInitialising).ToString(CultureInfo.InvariantCulture);
        await Store.RunTransactionAsync(async t =>
        {
            await t.WriteAsync(frontend, "").ConfigureAwait(false);
            await t.SetPermissionsAsync(frontend, XsPermissions.From([new XsPermission(domid, XsAccess.None), new XsPermission(device.BackendDomain, XsAccess.Read)])).ConfigureAwait(false);
            await t.WriteAsync(backend, "").ConfigureAwait(false);
            await t.SetPermissionsAsync(backend, XsPermissions.From([new XsPermission(device.BackendDomain, XsAccess.None), new XsPermission(domid, XsAccess.Read)])).ConfigureAwait(false);
            foreach (var (key, value) in device.BackendKeys) await t.WriteAsync($"{backend}/{key}", value).ConfigureAwait(false);
            await t.WriteAsync($"{backend}/frontend", frontend).ConfigureAwait(false);
            await t.WriteAsync($"{backend}/frontend-id", domid.ToString(CultureInfo.InvariantCulture)).ConfigureAwait(false);
            await t.WriteAsync($"{backend}/online", "1").ConfigureAwait(false);
            await t.WriteAsync($"{backend}/state", initialising).ConfigureAwait(false);
            foreach (var (key, value) in device.FrontendKeys) await t.WriteAsync($"{frontend}/{key}", value).ConfigureAwait(false);
            await t.WriteAsync($"{frontend}/backend", backend).ConfigureAwait(false);
            await t.WriteAsync($"{frontend}/backend-id", device.BackendDomain.ToString(CultureInfo.InvariantCulture)).ConfigureAwait(false);
            await t.WriteAsync($"{frontend}/state", initialising).ConfigureAwait(false);
        }).ConfigureAwait(false);
        DeviceBackendFactory? factory;
        lock (factories) factories.TryGetValue(device.Kind, out factory);
        var serving = factory is not null
            ? await factory(new DeviceBackendRequest(dom0.Services, domid, device, backend, frontend)).ConfigureAwait(false)
            : await StandInBackend.StartAsync(Store, backend, frontend).ConfigureAwait(false);
        lock (backends) backends[backend] = serving;
        dom0.Log($"toolstack: domain {domid}: {device.Kind} {device.DeviceId} added");
    }

    /// <summary>
    /// libxl's device removal: the backend offline and Closing, a wait (at most <paramref name="timeout"/>) for it to
    /// reach Closed as the frontend closes, then both directories removed.
    /// </summary>
    /// <returns>Whether the backend reached Closed in time (the trees are removed either way, as libxl's force does).</returns>
    public async Task<bool> RemoveDeviceAsync(uint domid, DeviceSpec device, TimeSpan timeout)
    {
        var frontend = DevicePaths.Frontend(domid, device);
        var backend = DevicePaths.Backend(domid, device);
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using (var watch = await Store.WatchAsync(backend + "/state", ev => { _ = CheckClosedAsync(); }).ConfigureAwait(false))
        {
            await Store.WriteAsync($"{backend}/online", "0").ConfigureAwait(false);
            await XenbusStates.WriteAsync(Store, backend, XenbusState.XenbusStateClosing).ConfigureAwait(false);
            await Task.WhenAny(closed.Task, Task.Delay(timeout)).ConfigureAwait(false);
        }
        IAsyncDisposable? serving;
        lock (backends) backends.Remove(backend, out serving);
        if (serving is not null) await serving.DisposeAsync().ConfigureAwait(false);
        await Store.RunTransactionAsync(async t =>
        {
            await t.RmAsync(frontend).ConfigureAwait(false);
            await t.RmAsync(backend).ConfigureAwait(false);
        }).ConfigureAwait(false);
        dom0.Log($"toolstack: domain {domid}: {device.Kind} {device.DeviceId} removed{(closed.Task.IsCompleted ? "" : " (backend did not close)")}");
        return closed.Task.IsCompleted;

        async Task CheckClosedAsync()
        {
            if (await XenbusStates.ReadAsync(Store, backend).ConfigureAwait(false) == XenbusState.XenbusStateClosed) closed.TrySetResult();
        }
    }

    /// <summary>What <c>xl shutdown</c>/<c>reboot</c> write: <paramref name="request"/> into <c>control/shutdown</c>.</summary>
    public Task RequestShutdownAsync(uint domid, string request) => Store.WriteAsync($"{DevicePaths.Home(domid)}/control/shutdown", request);

    /// <summary>Stops the backends, releases the domain from xenstored and removes its trees.</summary>
    public async Task DestroyGuestAsync(uint domid)
    {
        KeyValuePair<string, IAsyncDisposable>[] serving;
        var prefix = $"/{domid}/";
        lock (backends)
        {
            serving = backends.Where(b => b.Key.Contains("/backend/", StringComparison.Ordinal) && b.Key.Contains(prefix, StringComparison.Ordinal)).ToArray();
            foreach (var b in serving) backends.Remove(b.Key);
        }
        foreach (var b in serving) await b.Value.DisposeAsync().ConfigureAwait(false);
        dom0.Consoles.Disconnect(domid);
        try { await Store.ReleaseAsync(domid).ConfigureAwait(false); }
        catch (XsNotFoundException) { }
        var vm = await TryReadAsync($"{DevicePaths.Home(domid)}/vm").ConfigureAwait(false);
        foreach (var path in new[] { DevicePaths.Home(domid), vm })
        {
            if (path is { Length: > 0 })
            {
                try { await Store.RmAsync(path).ConfigureAwait(false); }
                catch (XsNotFoundException) { }
            }
        }
        foreach (var kind in await TryListAsync($"{DevicePaths.Home(0)}/backend").ConfigureAwait(false))
        {
            try { await Store.RmAsync($"{DevicePaths.Home(0)}/backend/{kind}/{domid}").ConfigureAwait(false); }
            catch (XsNotFoundException) { }
        }
        dom0.Log($"toolstack: domain {domid} destroyed");
    }

    private async Task<string?> TryReadAsync(string path)
    {
        try { return await Store.ReadStringAsync(path).ConfigureAwait(false); }
        catch (XsNotFoundException) { return null; }
    }

    private async Task<IReadOnlyList<string>> TryListAsync(string path)
    {
        try { return await Store.DirectoryAsync(path).ConfigureAwait(false); }
        catch (XsNotFoundException) { return []; }
    }

    private uint AllocUnbound(uint domid)
    {
        using var arg = dom0.Nexus.Hypercalls.Prepare<EvtchnAllocUnbound>();
        arg.Value.Dom = (ushort)domid;
        arg.Value.RemoteDom = 0;
        arg.Call(XenOperations.EvtchnopAllocUnbound);
        return arg.Value.Port;
    }

    private void SetParam(uint domid, uint index, ulong value)
    {
        using var arg = dom0.Nexus.Hypercalls.Prepare<XenHvmParam>();
        arg.Value.Domid = (ushort)domid;
        arg.Value.Index = index;
        arg.Value.Value = value;
        arg.Call(XenOperations.HvmopSetParam);
    }
}
