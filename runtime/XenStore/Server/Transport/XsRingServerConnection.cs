using Xen.Rings;
using Xen.XenStore.Protocol;
using Xen.XenStore.Server;

namespace Xen.XenStore.Server.Transport;

/// <summary>
/// The server's end of a guest's store page (<see cref="XenstoreDomainInterface"/>): requests are read from the
/// <c>req</c> ring, replies and watch events written to the <c>rsp</c> ring. The owner calls <see cref="Notify"/>
/// when the guest signals its event channel; we call the notification callback when we consumed or produced
/// bytes. The page is shared with an untrusted peer: indices are checked by <see cref="ByteRing"/> so nothing
/// outside the page is touched, and a corrupt index or an oversized length sets the page's <c>error</c> field
/// and closes this connection only. The guest may ask for a reset by setting <c>connection</c> to
/// <c>XENSTORE_RECONNECT</c> (docs/misc/xenstore-ring.txt): its partial packets, queued output, watches and
/// transactions are dropped, the rings emptied, and <c>connection</c> set back to <c>XENSTORE_CONNECTED</c>.
/// </summary>
public sealed unsafe class XsRingServerConnection : IDisposable
{
    private readonly XenStoreServer _server;
    private readonly XenstoreDomainInterface* _page;
    private readonly Action _notifyPeer;
    private readonly XsConnection _connection;
    private readonly object _gate = new();
    private XsFrameAssembler? _requests = new();
    private XsMessageBuffer? _reply;
    private int _replySent;
    private int _pumpScheduled;

    /// <summary>Serves <paramref name="page"/> for <paramref name="domainId"/>: announces the reconnection and error-field features and marks the page connected.</summary>
    /// <param name="server">The server.</param>
    /// <param name="domainId">The guest.</param>
    /// <param name="page">The mapped store page; must stay mapped until <see cref="Dispose"/>.</param>
    /// <param name="notifyPeer">Signals the guest's event channel.</param>
    public XsRingServerConnection(XenStoreServer server, uint domainId, XenstoreDomainInterface* page, Action notifyPeer)
    {
        _server = server;
        _page = page;
        _notifyPeer = notifyPeer;
        page->ServerFeatures |= XsWire.XenstoreServerFeatureReconnection | XsWire.XenstoreServerFeatureError;
        page->Error = XsWire.XenstoreErrorNone;
        page->Connection = XsWire.XenstoreConnected;
        _connection = server.Connect(domainId, $"domain {domainId}", SchedulePump);
    }

    /// <summary>The server's connection for this guest.</summary>
    public XsConnection Connection => _connection;

    /// <summary>Whether the connection was closed, for bad input or by <see cref="Dispose"/>.</summary>
    public bool IsClosed => _requests is null || _connection.IsClosed;

    /// <summary>The guest signalled its event channel: read its requests and send what is queued.</summary>
    public void Notify()
    {
        bool notify = false;
        lock (_gate)
        {
            if (IsClosed) return;
            try
            {
                if (Volatile.Read(ref _page->Connection) == XsWire.XenstoreReconnect)
                {
                    Reconnect();
                    notify = true;
                }
                bool progress;
                do
                {
                    progress = ReadRequests();
                    progress |= WriteReplies();
                    notify |= progress;
                }
                while (progress && !IsClosed);
            }
            catch (RingProtocolException e)
            {
                Fail(XsWire.XenstoreErrorRingidx, e.Message);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // A fault of ours must cost this guest its connection, not every client the server.
                Fail(XsWire.XenstoreErrorComm, $"internal error: {e}");
            }
        }
        if (notify) _notifyPeer();
    }

    /// <summary>Output queued by the server (maybe under its lock, maybe for a watch fired by another client): pump later, on the pool.</summary>
    private void SchedulePump()
    {
        // Queued while this thread is in Notify for this ring (a reply to the request it is processing): its loop
        // writes it next. A pool item would only wake a second thread per request to find nothing to do.
        if (Monitor.IsEntered(_gate)) return;
        if (Interlocked.Exchange(ref _pumpScheduled, 1) == 1) return;
        ThreadPool.UnsafeQueueUserWorkItem(static self =>
        {
            Volatile.Write(ref self._pumpScheduled, 0);
            self.Notify();
        }, this, preferLocal: false);
    }

    /// <summary>Reads whole requests and processes them, until the ring is empty, too many replies are unsent, or the guest is over its event memory quota.</summary>
    private bool ReadRequests()
    {
        var ring = XenstoreDomainInterfaceRing.Req(_page);
        bool progress = false;
        while (!IsClosed)
        {
            if (!_connection.IsPrivileged && (_connection.PendingReplies >= _server.Quotas.OutstandingRequests || _connection.IsStalled)) return progress;
            var status = _requests!.TryTake(out var header, out var payload, out _);
            if (status == XsFrameStatus.PayloadTooLong)
            {
                Fail(XsWire.XenstoreErrorProto, $"payload length {header.Len} over XENSTORE_PAYLOAD_MAX");
                return progress;
            }
            if (status == XsFrameStatus.Complete)
            {
                _server.Process(_connection, header, payload);
                continue;
            }
            // Only what the message lacks: the next one stays in the ring while replies are outstanding.
            int read = ring.Read(_requests.MissingSpace);
            if (read == 0) return progress;
            _requests.Advance(read);
            progress = true;
        }
        return progress;
    }

    /// <summary>Copies queued frames into the response ring as far as it has room.</summary>
    private bool WriteReplies()
    {
        var ring = XenstoreDomainInterfaceRing.Rsp(_page);
        bool progress = false;
        while (!IsClosed)
        {
            if (_reply is null)
            {
                if (!_connection.TryDequeue(out var next)) return progress;
                _reply = next;
                _replySent = 0;
            }
            int written = ring.Write(_reply.Span[_replySent..]);
            if (written == 0) return progress;
            progress = true;
            _replySent += written;
            if (_replySent == _reply.Length)
            {
                _reply.Dispose();
                _reply = null;
            }
        }
        return progress;
    }

    /// <summary>The guest asked for a reset: drop everything in flight, empty both rings, say connected again.</summary>
    private void Reconnect()
    {
        _server.Reset(_connection);
        _requests?.Reset();
        _reply?.Dispose();
        _reply = null;
        _page->ReqCons = _page->ReqProd = 0;
        _page->RspCons = _page->RspProd = 0;
        Interlocked.MemoryBarrier();
        Volatile.Write(ref _page->Connection, (uint)XsWire.XenstoreConnected);
        _server.Log?.Invoke($"{_connection}: ring reconnected");
    }

    private void Fail(int error, string reason)
    {
        _page->Error = (uint)error;
        _server.Log?.Invoke($"{_connection}: {reason}; connection closed");
        Close();
    }

    private void Close()
    {
        _server.Disconnect(_connection);
        _reply?.Dispose();
        _reply = null;
        _requests?.Dispose();
        _requests = null;
    }

    /// <summary>Closes the connection; the page is left as it is.</summary>
    public void Dispose()
    {
        lock (_gate) Close();
    }
}
