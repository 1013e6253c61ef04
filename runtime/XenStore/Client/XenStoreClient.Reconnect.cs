using Xen.XenStore.Client.Transports;

namespace Xen.XenStore.Client;

public sealed partial class XenStoreClient
{
    /// <summary>
    /// Resets a ring connection (xenstore-ring.txt's reconnection): no request is sent meanwhile; the server empties
    /// both rings and drops this connection's outstanding requests, watches and transactions, so those requests
    /// fail and every watch subscription ends, with an <see cref="XsConnectionException"/>. The client goes on.
    /// </summary>
    /// <param name="timeout">How long to wait for the server.</param>
    /// <returns>A task completing when the ring is connected again.</returns>
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
        var reason = new XsConnectionException($"{_transport.Name}: the ring was reconnected; the server dropped this connection's requests, watches and transactions");
        foreach (var request in dropped) request.TrySetException(reason);
        EndWatches(reason);
    }
}
