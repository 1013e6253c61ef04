using System.Globalization;
using System.Runtime.ExceptionServices;
using System.Text;
using Xen.XenStore.Protocol;

namespace Xen.XenStore.Client;

public sealed partial class XenStoreClient
{
    private readonly Dictionary<string, List<XsWatchSubscription>> _watches = new(StringComparer.Ordinal);
    private long _lastToken;

    /// <summary>
    /// <c>XS_WATCH</c>: registers a watch on <paramref name="path"/> (a node, or <c>@introduceDomain</c> /
    /// <c>@releaseDomain</c>). The subscription exists before the request is sent, so the event fired on
    /// registration is its first.
    /// </summary>
    /// <param name="path">The path watched.</param>
    /// <param name="token">The token events carry; a token unique to this client when null.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>The subscription; dispose it to remove the watch.</returns>
    public async Task<XsWatchSubscription> WatchAsync(string path, string? token = null, CancellationToken cancellationToken = default)
    {
        XsRequestChecks.WatchPath(path, XsdSockmsgType.XsWatch);
        token ??= "xsc-" + Interlocked.Increment(ref _lastToken).ToString(CultureInfo.InvariantCulture);
        XsRequestChecks.Argument(token, "the token", XsdSockmsgType.XsWatch);
        var subscription = new XsWatchSubscription(this, path, token);
        var request = XsRequestFrames.Watch(true, path, token);
        lock (_watches)
        {
            if (!_watches.TryGetValue(token, out var list)) _watches.Add(token, list = new List<XsWatchSubscription>(1));
            list.Add(subscription);
        }
        try
        {
            var reply = await CallAsync(request, path, cancellationToken).ConfigureAwait(false);
            XsReplies.Ok(reply, "XS_WATCH " + path);
            return subscription;
        }
        catch (XsConnectionException e) when (Volatile.Read(ref _reconnection) is { } reconnection && ReferenceEquals(e, reconnection.Reason))
        {
            // A ring reconnection dropped the request and sent it again: the outcome is that of the second one.
            await reconnection.Rewatch.ConfigureAwait(false);
            if (Subscriptions(subscription.Path, subscription.Token).Contains(subscription)) return subscription;
            Forget(subscription);
            subscription.Complete(null);
            if (subscription.Completion.Exception?.InnerException is { } refused) ExceptionDispatchInfo.Capture(refused).Throw();
            throw;
        }
        catch (Exception e)
        {
            Forget(subscription);
            subscription.Complete(e);
            throw;
        }
    }

    /// <summary>Registers a watch whose events are handed to <paramref name="callback"/>, one at a time in arrival order, off the receive thread.</summary>
    /// <param name="path">The path watched.</param>
    /// <param name="callback">Called for each event; an exception it throws ends the calls.</param>
    /// <param name="token">The token events carry; unique when null.</param>
    /// <param name="cancellationToken">Stops waiting for the registration.</param>
    /// <returns>The subscription; dispose it to remove the watch.</returns>
    public async Task<XsWatchSubscription> WatchAsync(string path, Action<XsWatchEvent> callback, string? token = null, CancellationToken cancellationToken = default)
    {
        var subscription = await WatchAsync(path, token, cancellationToken).ConfigureAwait(false);
        _ = Task.Run(async () =>
        {
            await foreach (var watchEvent in subscription.Events.ReadAllAsync().ConfigureAwait(false)) callback(watchEvent);
        }, CancellationToken.None);
        return subscription;
    }

    /// <summary><c>XS_RESET_WATCHES</c>: removes every watch of this connection (and, on the server, its transactions); every subscription ends.</summary>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>A task completing when the server confirmed.</returns>
    public async Task ResetWatchesAsync(CancellationToken cancellationToken = default)
    {
        var reply = await CallAsync(XsRequestFrames.ResetWatches(), "", cancellationToken).ConfigureAwait(false);
        XsReplies.Ok(reply, "XS_RESET_WATCHES");
        EndWatches(null);
    }

    /// <summary>
    /// <c>XS_UNWATCH</c> for <paramref name="subscription"/>. The subscription stays registered until the reply,
    /// so every event the server sent before it removed the watch is still delivered.
    /// </summary>
    internal async Task UnwatchAsync(XsWatchSubscription subscription)
    {
        lock (_watches)
        {
            if (!_watches.TryGetValue(subscription.Token, out var list) || !list.Contains(subscription)) return;
        }
        var request = XsRequestFrames.Watch(false, subscription.Path, subscription.Token);
        try
        {
            var reply = await CallAsync(request, subscription.Path, CancellationToken.None).ConfigureAwait(false);
            XsReplies.Ok(reply, "XS_UNWATCH " + subscription.Path);
        }
        finally
        {
            Forget(subscription);
        }
    }

    private bool Forget(XsWatchSubscription subscription)
    {
        lock (_watches)
        {
            if (!_watches.TryGetValue(subscription.Token, out var list) || !list.Remove(subscription)) return false;
            if (list.Count == 0) _watches.Remove(subscription.Token);
            return true;
        }
    }

    /// <summary>Called on the receive thread for an <c>XS_WATCH_EVENT</c>: path and token, each NUL-terminated.</summary>
    private void DeliverWatchEvent(ReadOnlySpan<byte> payload)
    {
        if (!XsWatchEventMessage.TryDecode(payload, out var pathBytes, out var tokenBytes, out string problem))
        {
            throw XsReplies.Malformed($"{_transport.Name}: XS_WATCH_EVENT", problem, payload);
        }
        var watchEvent = new XsWatchEvent(Encoding.UTF8.GetString(pathBytes), Encoding.UTF8.GetString(tokenBytes));
        lock (_watches)
        {
            // Events for a watch just removed may still arrive; they have no subscription and are dropped.
            if (!_watches.TryGetValue(watchEvent.Token, out var list)) return;
            bool delivered = false;
            foreach (var subscription in list)
            {
                if (list.Count > 1 && !subscription.Matches(watchEvent.Path)) continue;
                subscription.Post(watchEvent);
                delivered = true;
            }
            if (!delivered) foreach (var subscription in list) subscription.Post(watchEvent);
        }
    }

    private void EndWatches(Exception? reason)
    {
        XsWatchSubscription[] all;
        lock (_watches)
        {
            all = _watches.Values.SelectMany(list => list).ToArray();
            _watches.Clear();
        }
        foreach (var subscription in all) subscription.Complete(reason);
    }
}
