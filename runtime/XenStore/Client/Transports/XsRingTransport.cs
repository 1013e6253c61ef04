using Xen.Rings;

namespace Xen.XenStore.Client.Transports;

/// <summary>
/// The guest's end of its store page (<see cref="XenstoreDomainInterface"/>), for kernel targets: requests go
/// into the <c>req</c> ring, replies and watch events come from the <c>rsp</c> ring, and the event channel is
/// signalled through the callback given here; the owner calls <see cref="Notify"/> when the channel fires.
/// Follows docs/misc/xenstore-ring.txt: while the page's <c>connection</c> field says a reconnection is in
/// progress nothing else is touched; a nonzero <c>error</c> field (when the server advertises it) ends the
/// connection; an index pair claiming more than the ring holds is reported, and nothing outside the page is read.
/// A signal that fails (the callback throws, as <c>EVTCHNOP_send</c> refused) faults the transport: that call and
/// every later one throw an <see cref="XsConnectionException"/> naming the failure, so no request waits for a peer
/// that was never told of it.
/// </summary>
public sealed unsafe class XsRingTransport : IXsClientTransport
{
    private readonly XenstoreDomainInterface* _page;
    private readonly Action _notifyPeer;
    private readonly object _gate = new();
    private long _generation;
    private readonly object _receiveLock = new();
    private int _epoch;
    private int _receiveEpoch;
    private volatile bool _disposed;
    private XsConnectionException? _fault;
    private long _ringReads;

    /// <summary>Uses the mapped store page <paramref name="page"/>.</summary>
    /// <param name="page">The page; must stay mapped until the transport is disposed.</param>
    /// <param name="notifyPeer">Signals the store's event channel; an exception it throws faults the transport.</param>
    /// <param name="domainId">The guest's domain id, when known.</param>
    /// <param name="name">A name for messages.</param>
    public XsRingTransport(XenstoreDomainInterface* page, Action notifyPeer, uint? domainId = null, string name = "store ring page")
    {
        _page = page;
        _notifyPeer = notifyPeer;
        DomainId = domainId;
        Name = name;
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <summary>
    /// How long a wait for <see cref="Notify"/> lasts before the rings are looked at again anyway: a guard against a
    /// peer that changes them without signalling. <see cref="Timeout.InfiniteTimeSpan"/> when every change comes with
    /// a notification (the nexus's delivered event channel), so an idle transport never reads the page.
    /// </summary>
    public TimeSpan SafetyPoll { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>How many times <see cref="Receive"/> has read the <c>rsp</c> ring (diagnostics: an idle transport that waits for notifications adds none).</summary>
    public long RingReads => Volatile.Read(ref _ringReads);

    /// <inheritdoc />
    public uint? DomainId { get; }

    /// <summary>Whether the server advertises <c>XENSTORE_SERVER_FEATURE_RECONNECTION</c>.</summary>
    public bool CanReconnect => HasFeature(XsWire.XenstoreServerFeatureReconnection);

    /// <summary>The event channel fired: wake whoever waits for the rings.</summary>
    public void Notify()
    {
        lock (_gate)
        {
            _generation++;
            Monitor.PulseAll(_gate);
        }
    }

    /// <inheritdoc />
    public int Receive(Span<byte> buffer)
    {
        var rsp = XenstoreDomainInterfaceRing.Rsp(_page);
        while (true)
        {
            long seen = Volatile.Read(ref _generation);
            ThrowIfFaulted();
            if (_disposed) return 0;
            int n = 0;
            // Under the lock a read happens wholly before a reconnection starts (then the next call reports the
            // restart) or after it (then this call reports it first).
            lock (_receiveLock)
            {
                if (_epoch != _receiveEpoch)
                {
                    _receiveEpoch = _epoch;
                    return IXsClientTransport.Restarted;
                }
                if (IsUsable())
                {
                    Volatile.Write(ref _ringReads, _ringReads + 1); // written only under the receive lock
                    try { n = rsp.Read(buffer); }
                    catch (RingProtocolException e) { throw Corrupt("rsp", e); }
                }
            }
            if (n > 0)
            {
                // The bytes are consumed: when the peer cannot be told, the connection ends rather than the peer
                // waiting for room it does not know is there.
                NotifyPeer();
                return n;
            }
            WaitForNotification(seen);
        }
    }

    /// <inheritdoc />
    public void Send(ReadOnlySpan<byte> data)
    {
        var req = XenstoreDomainInterfaceRing.Req(_page);
        while (!data.IsEmpty)
        {
            long seen = Volatile.Read(ref _generation);
            ThrowIfFaulted();
            if (_disposed) throw new XsConnectionException($"{Name}: closed");
            if (IsUsable())
            {
                int n;
                try { n = req.Write(data); }
                catch (RingProtocolException e) { throw Corrupt("req", e); }
                if (n > 0)
                {
                    data = data[n..];
                    NotifyPeer();
                    continue;
                }
            }
            WaitForNotification(seen);
        }
    }

    /// <summary>
    /// Asks the server to reset the ring (xenstore-ring.txt, "The ring reconnection feature"): sets
    /// <c>connection</c> to <c>XENSTORE_RECONNECT</c>, signals, and waits until the server sets it back to
    /// <c>XENSTORE_CONNECTED</c> with both queues empty. The server drops this connection's watches and transactions.
    /// <see cref="XenStoreClient.ReconnectAsync"/> does this for a client and fails what the server dropped.
    /// </summary>
    /// <param name="timeout">How long to wait for the server.</param>
    /// <exception cref="NotSupportedException">The server does not advertise reconnection.</exception>
    /// <exception cref="XsConnectionException">The server did not finish within <paramref name="timeout"/>.</exception>
    public void Reconnect(TimeSpan timeout)
    {
        if (!CanReconnect) throw new NotSupportedException($"{Name}: the server does not advertise XENSTORE_SERVER_FEATURE_RECONNECTION");
        // The server drops partly sent messages: Receive reports the restart so partial input is discarded.
        lock (_receiveLock)
        {
            _epoch++;
            Volatile.Write(ref _page->Connection, (uint)XsWire.XenstoreReconnect);
        }
        NotifyPeer();
        long deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        while (Volatile.Read(ref _page->Connection) != XsWire.XenstoreConnected)
        {
            long seen = Volatile.Read(ref _generation);
            ThrowIfFaulted();
            if (_disposed || Environment.TickCount64 > deadline) throw new XsConnectionException($"{Name}: the server did not complete the reconnection");
            WaitForNotification(seen);
        }
    }

    /// <summary>Stops using the page and ends a blocked <see cref="Receive"/>; the page is left as it is.</summary>
    public void Dispose()
    {
        _disposed = true;
        Notify();
    }

    /// <summary>
    /// Whether the rings may be used now: false while a reconnection is in progress (then only <c>connection</c>
    /// may be looked at); throws when the server flagged an error on the page.
    /// </summary>
    private bool IsUsable()
    {
        if (CanReconnect && Volatile.Read(ref _page->Connection) == XsWire.XenstoreReconnect) return false;
        uint error = HasFeature(XsWire.XenstoreServerFeatureError) ? Volatile.Read(ref _page->Error) : XsWire.XenstoreErrorNone;
        if (error != XsWire.XenstoreErrorNone) throw new XsConnectionException($"{Name}: the server stopped the connection: error field {error} ({ErrorName(error)})");
        return true;
    }

    /// <summary>Signals the peer; a failure becomes the transport's fault, thrown now and by every later call.</summary>
    private void NotifyPeer()
    {
        try
        {
            _notifyPeer();
        }
        catch (Exception e)
        {
            Interlocked.CompareExchange(ref _fault, new XsConnectionException($"{Name}: notifying the store failed: {e.Message}", e), null);
            Notify(); // a Send or Reconnect waiting on another thread sees the fault
            ThrowIfFaulted();
        }
    }

    private void ThrowIfFaulted()
    {
        if (Volatile.Read(ref _fault) is { } fault) throw new XsConnectionException(fault.Message, fault);
    }

    private XsProtocolException Corrupt(string ring, RingProtocolException e) =>
        new($"{Name}: corrupt {ring} ring indices: {e.Message}", e);

    private void WaitForNotification(long seen)
    {
        lock (_gate)
        {
            if (_generation == seen && !_disposed) Monitor.Wait(_gate, SafetyPoll);
        }
    }

    private bool HasFeature(int feature) => (Volatile.Read(ref _page->ServerFeatures) & (uint)feature) != 0;

    private static string ErrorName(uint error) => XsWire.CNameOf(error, "XENSTORE_ERROR_") ?? "unknown";
}
