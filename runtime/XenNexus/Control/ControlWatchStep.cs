using Xen.Nexus.Init;
using Xen.Nexus.Store;
using Xen.XenStore.Client;
using Xen.XenStore.Protocol;

namespace Xen.Nexus.Control;

/// <summary>
/// The <see cref="NexusPhase.ControlWatch"/> step (OpenBSD's xen_control, Linux's shutdown_handler): a watch on
/// <c>control/shutdown</c>. A supported request (<see cref="ShutdownRequests"/>) is acknowledged by clearing the key,
/// logged, the devices are closed (<see cref="BeforeShutdown"/>) and <c>SCHEDOP_shutdown</c> is made with its reason.
/// Any other request is refused with a log line and left unacknowledged, so the toolstack sees it was not taken.
/// </summary>
public sealed class ControlWatchStep(Func<NexusStore> store) : INexusInitStep
{
    private XsWatchSubscription? watch;
    private XenNexus? nexus;
    private int shuttingDown;

    /// <summary>Runs before <c>SCHEDOP_shutdown</c> (the probe's detach of every device).</summary>
    public Func<Task>? BeforeShutdown { get; init; }

    /// <summary>Completes with the reason when the nexus made <c>SCHEDOP_shutdown</c>.</summary>
    public Task<uint> ShutdownReason => reason.Task;

    private readonly TaskCompletionSource<uint> reason = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <inheritdoc/>
    public string Name => "control watch";

    /// <inheritdoc/>
    public void Attach(XenNexus nexus)
    {
        this.nexus = nexus;
        var s = store();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        watch = s.Client.WatchAsync(s.PathOf("control/shutdown"), "control-shutdown", timeout.Token).GetAwaiter().GetResult();
        try
        {
            // The event fired on registration: a request written before the watch is read here, so a store that
            // fails now fails this step rather than a task no one waits for.
            watch.NextAsync(timeout.Token).AsTask().GetAwaiter().GetResult();
            var request = ReadRequestAsync(s, timeout.Token).GetAwaiter().GetResult();
            if (request.Length != 0) _ = ActLoggedAsync(s, request);
        }
        catch
        {
            Detach(nexus);
            throw;
        }
        var events = watch;
        _ = Task.Run(async () =>
        {
            await foreach (var shutdownEvent in events.Events.ReadAllAsync().ConfigureAwait(false)) _ = OnShutdownKeyAsync(s);
        }, CancellationToken.None);
        nexus.Log($"{nexus.Options.DeviceName}: watching control/shutdown");
    }

    private async Task OnShutdownKeyAsync(NexusStore s)
    {
        // Once shutting down, no request is taken: the watch fires for our own acknowledgement too, and the store
        // may be gone by the time a read of it would be answered.
        if (Volatile.Read(ref shuttingDown) != 0) return;
        string request;
        try
        {
            request = await ReadRequestAsync(s, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is XsErrorException or XsConnectionException)
        {
            nexus!.Log($"{nexus.Options.DeviceName}: control/shutdown: {e.Message}");
            return;
        }
        await ActLoggedAsync(s, request).ConfigureAwait(false);
    }

    /// <summary>The request in <c>control/shutdown</c>; empty when there is none.</summary>
    private static async Task<string> ReadRequestAsync(NexusStore s, CancellationToken cancellationToken)
    {
        try
        {
            return await s.Client.ReadStringAsync(s.PathOf("control/shutdown"), cancellationToken).ConfigureAwait(false);
        }
        catch (XsNotFoundException)
        {
            return "";
        }
    }

    /// <summary>Acts on <paramref name="request"/>; a failure is logged.</summary>
    private async Task ActLoggedAsync(NexusStore s, string request)
    {
        var log = nexus!.Log;
        var device = nexus.Options.DeviceName;
        if (request.Length == 0 || Volatile.Read(ref shuttingDown) != 0) return;
        try
        {
            if (ShutdownRequests.ReasonOf(request) is not { } why)
            {
                log($"{device}: shutdown request \"{request}\" refused: not supported");
                return;
            }
            if (Interlocked.Exchange(ref shuttingDown, 1) != 0) return;
            await s.Client.WriteAsync(s.PathOf("control/shutdown"), "").ConfigureAwait(false);
            log($"{device}: shutdown request \"{request}\": {ShutdownRequests.NameOf(why)}");
            if (BeforeShutdown is { } before) await before().ConfigureAwait(false);
            SchedShutdownCall.Shutdown(nexus.Hypercalls, why);
            reason.TrySetResult(why);
        }
        catch (Exception e) when (e is XsErrorException or XsConnectionException or Hypercalls.XenHypercallException)
        {
            log($"{device}: control/shutdown: {e.Message}");
        }
    }

    /// <inheritdoc/>
    public void Detach(XenNexus nexus)
    {
        if (watch is { } w)
        {
            try { w.DisposeAsync().AsTask().Wait(TimeSpan.FromSeconds(2)); }
            catch (AggregateException) { }
        }
        watch = null;
    }
}
