using System.Globalization;
using Xen.Abi.Io;
using Xen.XenStore.Client;
using Xen.XenStore.Protocol;

namespace Xen.Services.Xenbus;

/// <summary>
/// The guest's xenbus (OpenBSD's xen_probe_devices and xen_hotplug, Linux's xenbus_probe_frontend): every type under
/// <c>device/</c>, each device's <c>backend</c> and <c>backend-id</c>, the driver registered for the type attached and
/// its states driven by a watch on the backend's <c>state</c>; one watch on <c>device/</c> attaches and detaches
/// devices as the toolstack adds and removes them. All changes are serialised, so a device's events are handled in order.
/// </summary>
public sealed class XenbusProbe : IAsyncDisposable
{
    private readonly SemaphoreSlim gate = new(1, 1);
    private readonly Dictionary<string, XenbusDevice> devices = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> units = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IXenbusDriver> drivers;
    private readonly XenDomainServices store;
    private readonly Action<string> log;
    private readonly string parent;
    private XsWatchSubscription? hotplug;
    private volatile bool closed;

    /// <summary>
    /// A probe of <paramref name="services"/>' <c>device/</c> for <paramref name="drivers"/>; <paramref name="parent"/>
    /// names the bus in attach lines (<c>xbf0 at xen0</c>). Nothing happens until <see cref="StartAsync"/>.
    /// </summary>
    public XenbusProbe(XenDomainServices services, IEnumerable<IXenbusDriver> drivers, string parent, Action<string> log)
    {
        store = services;
        this.drivers = drivers.ToDictionary(d => d.Type, StringComparer.Ordinal);
        this.parent = parent;
        this.log = log;
    }

    /// <summary>The devices found, attached or not configured.</summary>
    public IReadOnlyList<XenbusDevice> Devices
    {
        get
        {
            lock (devices) return devices.Values.ToArray();
        }
    }

    /// <summary>Raised after a device changed state or was attached or detached (for tests and tools).</summary>
    public event Action<XenbusDevice>? Changed;

    private XsStoreOperations Client => store.Store;

    /// <summary>
    /// Watches <c>device/</c> and probes it on the event the store fires on registration, then again on each later
    /// event (hotplug). The first probe is part of this call: its failure is the caller's, and nothing of it runs on.
    /// </summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var watch = await store.Store.WatchAsync(store.PathOf("device"), "xenbus-hotplug", cancellationToken).ConfigureAwait(false);
        hotplug = watch;
        // The watch exists before the scan, so a device added meanwhile fires it again.
        await watch.NextAsync(cancellationToken).ConfigureAwait(false);
        await RescanAsync(cancellationToken).ConfigureAwait(false);
        _ = Task.Run(async () =>
        {
            await foreach (var hotplugEvent in watch.Events.ReadAllAsync().ConfigureAwait(false)) _ = RescanSafelyAsync();
        }, CancellationToken.None);
    }

    /// <summary>
    /// Detaches every attached device (closing its frontend), as a shutdown does. No device is attached after it: the
    /// frontend states it writes fire the <c>device/</c> watch, and a rescan must not take the devices back.
    /// </summary>
    public async Task DetachAllAsync()
    {
        await gate.WaitAsync().ConfigureAwait(false);
        try
        {
            closed = true;
            foreach (var device in Devices)
                await DetachAsync(device, "shutdown", remove: true).ConfigureAwait(false);
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task RescanSafelyAsync()
    {
        try
        {
            await RescanAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is XsErrorException or XsConnectionException or ObjectDisposedException)
        {
            if (!closed) log($"{parent}: device scan: {e.Message}");
        }
    }

    private async Task RescanAsync(CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (closed) return;
            var present = new HashSet<string>(StringComparer.Ordinal);
            foreach (var type in await ListAsync(store.PathOf("device"), cancellationToken).ConfigureAwait(false))
            {
                foreach (var id in await ListAsync(store.PathOf($"device/{type}"), cancellationToken).ConfigureAwait(false))
                {
                    var path = $"device/{type}/{id}";
                    present.Add(path);
                    bool known;
                    lock (devices) known = devices.ContainsKey(path);
                    if (!known) await AttachAsync(type, id, path, cancellationToken).ConfigureAwait(false);
                }
            }
            foreach (var device in Devices.Where(d => !present.Contains(d.Path)))
                await DetachAsync(device, "removed", remove: true, writeStates: false).ConfigureAwait(false);
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task<IReadOnlyList<string>> ListAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            return await Client.DirectoryAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (XsNotFoundException)
        {
            return [];
        }
    }

    private async Task AttachAsync(string type, string id, string path, CancellationToken cancellationToken)
    {
        string backend;
        uint backendId;
        try
        {
            backend = await Client.ReadStringAsync(store.PathOf(path + "/backend"), cancellationToken).ConfigureAwait(false);
            var text = await Client.ReadStringAsync(store.PathOf(path + "/backend-id"), cancellationToken).ConfigureAwait(false);
            if (!backend.StartsWith('/') || !uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out backendId))
            {
                log($"\"{type}\" at {parent}: {path}: bad backend \"{backend}\" or backend-id \"{text}\", ignored");
                return;
            }
        }
        catch (XsNotFoundException)
        {
            return; // the toolstack is still writing the device; its next write fires the watch again
        }
        var device = new XenbusDevice(store, type, id, path, backend, backendId);
        lock (devices) devices[path] = device;
        if (!drivers.TryGetValue(type, out var driver))
        {
            log($"\"{type}\" at {parent}: {path} not configured");
            Changed?.Invoke(device);
            return;
        }
        var unit = units.GetValueOrDefault(driver.Name);
        units[driver.Name] = unit + 1;
        device.Driver = driver;
        device.UnitName = driver.Name + unit.ToString(CultureInfo.InvariantCulture);
        await ResetStaleStateAsync(device, cancellationToken).ConfigureAwait(false);
        await SetStateAsync(device, XenbusState.XenbusStateInitialising, cancellationToken).ConfigureAwait(false);
        log($"{device.UnitName} at {parent}: {path} backend {backendId} ({backend})");
        device.BackendWatch = await store.Store.WatchAsync(backend + "/state", ev => { _ = BackendChangedAsync(device); }, $"xenbus-{path}", cancellationToken).ConfigureAwait(false);
        Changed?.Invoke(device);
    }

    /// <summary>A frontend left in another state by a previous kernel is closed first (Linux's xenbus_reset_state).</summary>
    private async Task ResetStaleStateAsync(XenbusDevice device, CancellationToken cancellationToken)
    {
        var stale = await XenbusStates.ReadAsync(Client, store.PathOf(device.Path), cancellationToken).ConfigureAwait(false);
        if (stale is XenbusState.XenbusStateUnknown or XenbusState.XenbusStateInitialising or XenbusState.XenbusStateClosed)
            return;
        log($"{parent}: {device.Path}: stale state {XenbusStates.NameOf(stale)} reset");
        // As Linux's xenbus_reset_state: close, wait for the backend to close, then start again and wait for it to be
        // ready, so that the backend watch does not take its Closed of the reset for a close of the new connection.
        await SetStateAsync(device, XenbusState.XenbusStateClosing, cancellationToken).ConfigureAwait(false);
        await SetStateAsync(device, XenbusState.XenbusStateClosed, cancellationToken).ConfigureAwait(false);
        await WaitForBackendAsync(device, XenbusState.XenbusStateClosed, cancellationToken).ConfigureAwait(false);
        await SetStateAsync(device, XenbusState.XenbusStateInitialising, cancellationToken).ConfigureAwait(false);
        await WaitForBackendAsync(device, XenbusState.XenbusStateInitWait, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Waits, on a watch of the backend's state, until it is <paramref name="wanted"/>; after 5 s says so and goes on.</summary>
    private async Task WaitForBackendAsync(XenbusDevice device, XenbusState wanted, CancellationToken cancellationToken)
    {
        await using var watch = await store.Store.WatchAsync(device.Backend + "/state", $"xenbus-reset-{device.Path}", cancellationToken).ConfigureAwait(false);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(BackendResetTimeout);
        while (await XenbusStates.ReadAsync(Client, device.Backend, cancellationToken).ConfigureAwait(false) != wanted)
        {
            try
            {
                await watch.NextAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                log($"{parent}: {device.Path}: backend not {XenbusStates.NameOf(wanted)} after {BackendResetTimeout.TotalSeconds} s of the reset");
                return;
            }
        }
    }

    private static readonly TimeSpan BackendResetTimeout = TimeSpan.FromSeconds(5);

    private async Task BackendChangedAsync(XenbusDevice device)
    {
        await gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (closed || device.Driver is null) return;
            lock (devices)
            {
                if (!devices.TryGetValue(device.Path, out var current) || !ReferenceEquals(current, device)) return;
            }
            var backend = await XenbusStates.ReadAsync(Client, device.Backend).ConfigureAwait(false);
            var previous = device.BackendState;
            device.BackendState = backend;
            var connectsOnSetUp = device.Driver.ConnectsOnSetUp;
            switch (backend)
            {
                case XenbusState.XenbusStateInitWait when device.State == XenbusState.XenbusStateInitialising:
                    if (!await DriverConnectAsync(device).ConfigureAwait(false)) break;
                    await SetStateAsync(device, connectsOnSetUp ? XenbusState.XenbusStateConnected : XenbusState.XenbusStateInitialised, CancellationToken.None).ConfigureAwait(false);
                    break;
                case XenbusState.XenbusStateConnected when device.State == XenbusState.XenbusStateInitialised && !connectsOnSetUp:
                    if (!await BackendConnectedAsync(device).ConfigureAwait(false)) break;
                    await SetStateAsync(device, XenbusState.XenbusStateConnected, CancellationToken.None).ConfigureAwait(false);
                    log($"{device.UnitName}: connected");
                    break;
                case XenbusState.XenbusStateConnected when device.State == XenbusState.XenbusStateConnected && connectsOnSetUp && previous != XenbusState.XenbusStateConnected:
                    if (!await BackendConnectedAsync(device).ConfigureAwait(false)) break;
                    log($"{device.UnitName}: connected");
                    break;
                case XenbusState.XenbusStateClosing or XenbusState.XenbusStateClosed
                    when device.State is not (XenbusState.XenbusStateClosing or XenbusState.XenbusStateClosed):
                    await DetachAsync(device, $"backend {XenbusStates.NameOf(backend)}", remove: false).ConfigureAwait(false);
                    break;
            }
            Changed?.Invoke(device);
        }
        catch (Exception e) when (e is XsErrorException or XsConnectionException)
        {
            if (!closed) log($"{device.UnitName}: {e.Message}");
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Runs the driver's ring set-up; a failure is fatal to the device (<see cref="FailAsync"/>).</summary>
    private async Task<bool> DriverConnectAsync(XenbusDevice device)
    {
        try
        {
            await device.Driver!.ConnectAsync(device, CancellationToken.None).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            await FailAsync(device, "set-up", e).ConfigureAwait(false);
            return false;
        }
    }

    /// <summary>Runs an <see cref="IXenbusConnectedDriver"/>'s connect; a failure is fatal to the device (a backend is not trusted).</summary>
    private async Task<bool> BackendConnectedAsync(XenbusDevice device)
    {
        if (device.Driver is not IXenbusConnectedDriver connected) return true;
        try
        {
            await connected.BackendConnectedAsync(device, CancellationToken.None).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            await FailAsync(device, "connect", e).ConfigureAwait(false);
            return false;
        }
    }

    /// <summary>
    /// xenbus_dev_fatal: the error logged and written to the device's error node for the toolstack, then the device
    /// detached (Closing, the driver's teardown, Closed).
    /// </summary>
    private async Task FailAsync(XenbusDevice device, string step, Exception e)
    {
        log($"{device.UnitName}: {step}: {e.Message}");
        await device.TryReportErrorAsync(Xen.Abi.XenErrno.XenEio, $"{step}: {e.Message}").ConfigureAwait(false);
        await DetachAsync(device, $"{step} failed", remove: false).ConfigureAwait(false);
    }

    /// <summary>
    /// Closing then Closed on our end with the driver's teardown between, the backend watch dropped; a device whose
    /// directory the toolstack removed gets no state writes (they would create it again).
    /// </summary>
    private async Task DetachAsync(XenbusDevice device, string why, bool remove, bool writeStates = true)
    {
        if (remove)
        {
            lock (devices) devices.Remove(device.Path);
        }
        if (device.Driver is null || device.State == XenbusState.XenbusStateClosed)
        {
            if (remove) Changed?.Invoke(device);
            return;
        }
        if (device.BackendWatch is { } watch)
        {
            device.BackendWatch = null;
            await SafeDisposeAsync(watch).ConfigureAwait(false);
        }
        try
        {
            if (writeStates) await SetStateAsync(device, XenbusState.XenbusStateClosing, CancellationToken.None).ConfigureAwait(false);
            await device.Driver.DisconnectAsync(device).ConfigureAwait(false);
            if (writeStates) await SetStateAsync(device, XenbusState.XenbusStateClosed, CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            device.State = XenbusState.XenbusStateClosed;
            log($"{device.UnitName} detached ({why})");
            Changed?.Invoke(device);
        }
    }

    private async Task SetStateAsync(XenbusDevice device, XenbusState state, CancellationToken cancellationToken)
    {
        await XenbusStates.WriteAsync(Client, store.PathOf(device.Path), state, cancellationToken).ConfigureAwait(false);
        device.State = state;
    }

    /// <summary>Drops the watches (the devices stay as they are; <see cref="DetachAllAsync"/> closes them).</summary>
    public async ValueTask DisposeAsync()
    {
        closed = true;
        if (hotplug is { } watch) await SafeDisposeAsync(watch).ConfigureAwait(false);
        hotplug = null;
        foreach (var device in Devices)
        {
            if (device.BackendWatch is { } backendWatch) await SafeDisposeAsync(backendWatch).ConfigureAwait(false);
            device.BackendWatch = null;
        }
        lock (devices) devices.Clear();
    }

    private static async Task SafeDisposeAsync(XsWatchSubscription watch)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await watch.DisposeAsync().AsTask().WaitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is XsErrorException or XsConnectionException or OperationCanceledException or ObjectDisposedException)
        {
        }
    }
}
