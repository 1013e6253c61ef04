using Xen.XenStore.Client.Transports;
using Xen.XenStore.Protocol;

namespace Xen.XenStore.Client;

public sealed partial class XenStoreClient
{
    /// <summary>
    /// Resets a ring connection (xenstore-ring.txt's reconnection): no request is sent meanwhile; the server empties
    /// both rings and drops this connection's outstanding requests, watches and transactions. The requests fail with
    /// an <see cref="XsConnectionException"/> (whether the server carried them out is unknown); a later use of a
    /// dropped transaction fails with the server's error. Every watch subscription is registered again, as a guest's
    /// xenbus does on resume: it goes on, and its next event is the one the server fires on registration, so a watcher
    /// re-reads what it watches. A watch the server refuses to register again ends with the server's error. A
    /// <see cref="WatchAsync(string, string?, CancellationToken)"/> still waiting for its reply is registered the same
    /// way and returns or fails with the outcome.
    /// </summary>
    /// <param name="timeout">How long to wait for the server.</param>
    /// <returns>A task completing when the ring is connected again and every watch is registered again or ended.</returns>
    /// <exception cref="NotSupportedException">The transport is not a ring page, or the server does not advertise reconnection.</exception>
    public async Task ReconnectAsync(TimeSpan timeout)
    {
        if (_transport is not XsRingTransport ring) throw new NotSupportedException($"{_transport.Name}: only a ring page connection can be reconnected");
        var dropped = await Task.Run(() =>
        {
            lock (_sendLock)
            {
                ring.Reconnect(timeout);
                lock (_pending)
                {
                    var requests = _pending.Values.ToArray();
                    _pending.Clear();
                    return requests;
                }
            }
        }).ConfigureAwait(false);
        // The watches are sent again before the dropped requests fail, so that a registration that was in flight (its
        // subscription already listed) is among them, and WatchAsync, failing, can wait for it instead.
        var reason = new XsConnectionException($"{_transport.Name}: the ring was reconnected; the server dropped this connection's requests, watches and transactions");
        var rewatch = RewatchAsync();
        Volatile.Write(ref _reconnection, new Reconnection(reason, rewatch));
        foreach (var request in dropped) request.TrySetException(reason);
        await rewatch.ConfigureAwait(false);
    }

    /// <summary>The last reconnection.</summary>
    private Reconnection? _reconnection;

    /// <summary>A reconnection: the reason its dropped requests failed with, and its registering of the watches again.</summary>
    private sealed record Reconnection(XsConnectionException Reason, Task Rewatch);

    /// <summary>Sends <c>XS_WATCH</c> again for each path and token registered; ends the subscriptions of one the server refuses.</summary>
    private async Task RewatchAsync()
    {
        List<(string Path, string Token)> watches;
        lock (_watches)
        {
            watches = _watches.Values.SelectMany(list => list).Where(s => !s.IsRemoving)
                .Select(s => (s.Path, s.Token)).Distinct().ToList();
        }
        await Task.WhenAll(watches.Select(w => RewatchAsync(w.Path, w.Token))).ConfigureAwait(false);
    }

    private async Task RewatchAsync(string path, string token)
    {
        try
        {
            var reply = await CallAsync(XsRequestFrames.Watch(true, path, token), path, CancellationToken.None).ConfigureAwait(false);
            XsReplies.Ok(reply, "XS_WATCH " + path);
        }
        catch (Exception e) when (e is XsConnectionException or XsErrorException)
        {
            foreach (var subscription in Subscriptions(path, token))
            {
                Forget(subscription);
                subscription.Complete(e);
            }
            return;
        }
        // A subscription disposed while its watch was sent again: its XS_UNWATCH was dropped, so remove the watch now.
        if (Subscriptions(path, token).Count == 0)
        {
            try
            {
                await CallAsync(XsRequestFrames.Watch(false, path, token), path, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception e) when (e is XsConnectionException or XsErrorException)
            {
                // Gone with the connection, or already forgotten by the server: nothing is left to remove.
            }
        }
    }

    private List<XsWatchSubscription> Subscriptions(string path, string token)
    {
        lock (_watches)
        {
            return _watches.TryGetValue(token, out var list) ? list.Where(s => s.Path == path && !s.IsRemoving).ToList() : [];
        }
    }
}
