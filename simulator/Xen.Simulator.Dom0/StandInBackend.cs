using System.Globalization;
using Xen.Abi.Io;
using Xen.Services.Xenbus;

namespace Xen.Simulator.Dom0;

/// <summary>
/// A trivial backend until real ones exist: it has no ring, only the xenbus states. It goes InitWait when started
/// (the hotplug scripts ran), Connected when the frontend is Initialised, Closed when the frontend closes, and
/// InitWait again when a frontend resets to Initialising; all driven by a watch on the frontend's state.
/// </summary>
public sealed class StandInBackend : IAsyncDisposable
{
    private readonly XenStoreClient store;
    private readonly string backend;
    private readonly string frontend;
    private readonly SemaphoreSlim gate = new(1, 1);
    private XsWatchSubscription? watch;

    private StandInBackend(XenStoreClient store, string backend, string frontend)
    {
        this.store = store;
        this.backend = backend;
        this.frontend = frontend;
    }

    /// <summary>The backend directory it serves.</summary>
    public string Path => backend;

    /// <summary>Starts serving <paramref name="backend"/> whose frontend is <paramref name="frontend"/>.</summary>
    public static async Task<StandInBackend> StartAsync(XenStoreClient store, string backend, string frontend)
    {
        var serving = new StandInBackend(store, backend, frontend);
        await XenbusStates.WriteAsync(store, backend, XenbusState.XenbusStateInitWait).ConfigureAwait(false);
        serving.watch = await store.WatchAsync(frontend + "/state", ev => { _ = serving.FrontendChangedAsync(); },
            "standin-" + backend.GetHashCode().ToString(CultureInfo.InvariantCulture)).ConfigureAwait(false);
        return serving;
    }

    private async Task FrontendChangedAsync()
    {
        await gate.WaitAsync().ConfigureAwait(false);
        try
        {
            var front = await XenbusStates.ReadAsync(store, frontend).ConfigureAwait(false);
            var back = await XenbusStates.ReadAsync(store, backend).ConfigureAwait(false);
            XenbusState? next = (front, back) switch
            {
                (XenbusState.XenbusStateInitialised or XenbusState.XenbusStateConnected, XenbusState.XenbusStateInitWait) => XenbusState.XenbusStateConnected,
                (XenbusState.XenbusStateClosing or XenbusState.XenbusStateClosed, not XenbusState.XenbusStateClosed) => XenbusState.XenbusStateClosed,
                (XenbusState.XenbusStateInitialising, XenbusState.XenbusStateClosed or XenbusState.XenbusStateConnected) => XenbusState.XenbusStateInitWait,
                _ => null,
            };
            if (next is { } state && await store.ExistsAsync(backend).ConfigureAwait(false))
                await XenbusStates.WriteAsync(store, backend, state).ConfigureAwait(false);
        }
        catch (Exception e) when (e is XsErrorException or XsConnectionException)
        {
            // The device is being removed, or dom0's store is going away.
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Stops watching.</summary>
    public async ValueTask DisposeAsync()
    {
        if (watch is { } w)
        {
            watch = null;
            try { await w.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(2)).ConfigureAwait(false); }
            catch (Exception e) when (e is XsErrorException or XsConnectionException or TimeoutException) { }
        }
    }
}
