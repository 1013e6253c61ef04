using System.Globalization;
using Xen.Abi.Io;
using Xen.Drivers.Ethernet.Xenbus;
using Xen.Services;
using Xen.Services.Xenbus;
using Xen.XenStore.Client;
using Xen.XenStore.Protocol;

namespace Xen.Drivers.Netback;

/// <summary>
/// The backend of one <c>vif</c> (Linux netback's xenbus.c): offers its features and goes InitWait; connects the
/// <see cref="Vif"/> when the frontend is Initialised or Connected, closes it when the frontend closes, and waits
/// again when a frontend starts over. All driven by a watch on the frontend's state, one change at a time.
/// </summary>
public sealed class NetbackDevice : IAsyncDisposable
{
    private readonly XenDomainServices services;
    private readonly NetbackOptions options;
    private readonly SemaphoreSlim gate = new(1, 1);
    private XsWatchSubscription? watch;
    private Vif? vif;
    private bool disposed;

    private NetbackDevice(XenDomainServices services, string backend, string frontend, ushort frontendDomain, uint deviceId, NetbackOptions options)
    {
        this.services = services;
        this.options = options;
        Backend = backend;
        Frontend = frontend;
        FrontendDomain = frontendDomain;
        Name = $"vif{frontendDomain}.{deviceId}";
    }

    /// <summary>The backend directory served.</summary>
    public string Backend { get; }

    /// <summary>The frontend directory.</summary>
    public string Frontend { get; }

    /// <summary>The frontend's domain.</summary>
    public ushort FrontendDomain { get; }

    /// <summary>The vif's name (<c>vif1.0</c>).</summary>
    public string Name { get; }

    /// <summary>The connected vif, or null.</summary>
    public Vif? Vif => vif;

    /// <summary>Raised when the vif connected (a bridge attaches to it).</summary>
    public event Action<Vif>? Connected;

    /// <summary>Raised when the vif is about to close.</summary>
    public event Action<Vif>? Disconnected;

    /// <summary>Starts serving <paramref name="backend"/> for the frontend at <paramref name="frontend"/>.</summary>
    public static async Task<NetbackDevice> StartAsync(XenDomainServices services, string backend, string frontend, ushort frontendDomain, uint deviceId, NetbackOptions? options = null, Action<NetbackDevice>? beforeStart = null)
    {
        var device = new NetbackDevice(services, backend, frontend, frontendDomain, deviceId, options ?? new NetbackOptions());
        beforeStart?.Invoke(device);
        await device.OfferFeaturesAsync().ConfigureAwait(false);
        await XenbusStates.WriteAsync(services.Store, backend, XenbusState.XenbusStateInitWait).ConfigureAwait(false);
        device.watch = await services.Store.WatchAsync(frontend + "/state", ev => { _ = device.FrontendChangedAsync(); },
            "netback-" + device.Name).ConfigureAwait(false);
        return device;
    }

    private Task OfferFeaturesAsync()
    {
        static string Flag(bool on) => on ? "1" : "0";
        var offloads = Flag(options.Offloads);
        return services.Store.RunTransactionAsync(async t =>
        {
            await t.WriteAsync($"{Backend}/{NetifKeys.FeatureRxCopy}", Flag(options.RxCopy)).ConfigureAwait(false);
            await t.WriteAsync($"{Backend}/{NetifKeys.FeatureRxFlip}", "0").ConfigureAwait(false);
            await t.WriteAsync($"{Backend}/{NetifKeys.FeatureSg}", offloads).ConfigureAwait(false);
            await t.WriteAsync($"{Backend}/{NetifKeys.FeatureGsoTcpV4}", offloads).ConfigureAwait(false);
            await t.WriteAsync($"{Backend}/{NetifKeys.FeatureGsoTcpV6}", offloads).ConfigureAwait(false);
            await t.WriteAsync($"{Backend}/{NetifKeys.FeatureIpv6CsumOffload}", offloads).ConfigureAwait(false);
            await t.WriteAsync($"{Backend}/{NetifKeys.FeatureSplitEventChannels}", Flag(options.SplitEventChannels)).ConfigureAwait(false);
            await t.WriteAsync($"{Backend}/{NetifKeys.MultiQueueMaxQueues}", options.MaxQueues.ToString(CultureInfo.InvariantCulture)).ConfigureAwait(false);
            await t.WriteAsync($"{Backend}/{NetifKeys.Mtu}", options.Mtu.ToString(CultureInfo.InvariantCulture)).ConfigureAwait(false);
        });
    }

    private async Task FrontendChangedAsync()
    {
        await gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (disposed) return;
            var front = await XenbusStates.ReadAsync(services.Store, Frontend).ConfigureAwait(false);
            var back = await XenbusStates.ReadAsync(services.Store, Backend).ConfigureAwait(false);
            switch (front)
            {
                case XenbusState.XenbusStateInitialised or XenbusState.XenbusStateConnected when back == XenbusState.XenbusStateInitWait:
                    await ConnectAsync().ConfigureAwait(false);
                    break;
                case XenbusState.XenbusStateClosing or XenbusState.XenbusStateClosed when back != XenbusState.XenbusStateClosed:
                    Disconnect();
                    await WriteStateAsync(XenbusState.XenbusStateClosed).ConfigureAwait(false);
                    break;
                case XenbusState.XenbusStateInitialising when back is XenbusState.XenbusStateClosed or XenbusState.XenbusStateConnected:
                    Disconnect();
                    await WriteStateAsync(XenbusState.XenbusStateInitWait).ConfigureAwait(false);
                    break;
            }
        }
        catch (Exception e) when (e is XsErrorException or XsConnectionException)
        {
            // The device is being removed, or the store is going away.
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task ConnectAsync()
    {
        try
        {
            var connection = await FrontendConnection.ReadAsync(services.Store, Frontend, options.MaxQueues).ConfigureAwait(false);
            vif = new Vif(Name, services, FrontendDomain, connection, options);
        }
        catch (Exception e) when (e is FormatException or GrantRefusedException or InvalidOperationException or Xen.Rings.RingProtocolException)
        {
            services.Log($"{Name}: cannot connect: {e.Message}");
            await WriteStateAsync(XenbusState.XenbusStateClosing).ConfigureAwait(false);
            return;
        }
        await WriteStateAsync(XenbusState.XenbusStateConnected).ConfigureAwait(false);
        services.Log($"{Name}: connected, {vif.QueueCount} queue{(vif.QueueCount == 1 ? "" : "s")}, frontend takes {vif.Accepts}{(options.Hostile == HostileMode.None ? "" : $", hostile: {options.Hostile}")}");
        Connected?.Invoke(vif);
    }

    private void Disconnect()
    {
        if (vif is not { } old) return;
        vif = null;
        Disconnected?.Invoke(old);
        old.Dispose();
        services.Log($"{Name}: disconnected");
    }

    private async Task WriteStateAsync(XenbusState state)
    {
        if (await services.Store.ExistsAsync(Backend).ConfigureAwait(false))
            await XenbusStates.WriteAsync(services.Store, Backend, state).ConfigureAwait(false);
    }

    /// <summary>Stops watching and closes the vif.</summary>
    public async ValueTask DisposeAsync()
    {
        if (watch is { } w)
        {
            watch = null;
            try { await w.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(2)).ConfigureAwait(false); }
            catch (Exception e) when (e is XsErrorException or XsConnectionException or TimeoutException) { }
        }
        await gate.WaitAsync().ConfigureAwait(false);
        try
        {
            disposed = true;
            Disconnect();
        }
        finally
        {
            gate.Release();
        }
    }
}
