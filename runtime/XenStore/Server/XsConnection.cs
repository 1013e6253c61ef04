using Xen.XenStore.Protocol;

namespace Xen.XenStore.Server;

/// <summary>
/// The server's side of one client: who it is (domain, privilege), its watches and transactions, and the queue of
/// frames (replies and watch events) its transport has to send. Transports create it with
/// <see cref="XenStoreServer.Connect"/>, feed requests to <see cref="XenStoreServer.Process"/> and drain
/// <see cref="TryDequeue"/> when the callback given to <see cref="XenStoreServer.Connect"/> is called.
/// </summary>
public sealed class XsConnection
{
    private readonly Queue<XsMessageBuffer> _outbound = new();
    private readonly Action _outputAvailable;
    private int _pendingReplies;
    private int _pendingEvents;

    internal XsConnection(uint id, uint domainId, string name, Action outputAvailable)
    {
        Id = id;
        DomainId = domainId;
        Name = name;
        _outputAvailable = outputAvailable;
    }

    /// <summary>A number unique among this server's connections.</summary>
    public uint Id { get; }

    /// <summary>The domain the client is in; unix socket clients are dom0.</summary>
    public uint DomainId { get; }

    /// <summary>Whether the client may do anything (dom0).</summary>
    public bool IsPrivileged => DomainId == 0;

    /// <summary>A name for logs, such as <c>socket 3</c> or <c>domain 5</c>.</summary>
    public string Name { get; }

    /// <summary>Whether the connection was closed (by its transport, by RELEASE, or for bad input).</summary>
    public bool IsClosed { get; internal set; }

    /// <summary>Watch events dropped because the client did not read them (watch flood).</summary>
    public long DroppedEvents { get; private set; }

    /// <summary>Replies queued and not yet taken by the transport.</summary>
    public int PendingReplies => Volatile.Read(ref _pendingReplies);

    internal List<XsServerWatch> Watches { get; } = new();

    internal Dictionary<uint, XsServerTransaction> Transactions { get; } = new();

    /// <summary>Raised, possibly on another connection's thread and under the server's lock, when frames were queued; the transport must not call back into the server from it.</summary>
    internal void SignalOutput() => _outputAvailable();

    /// <summary>Takes the next frame to send; the caller disposes it once sent.</summary>
    /// <param name="frame">The frame.</param>
    /// <returns>False when nothing is queued.</returns>
    public bool TryDequeue(out XsMessageBuffer frame)
    {
        lock (_outbound)
        {
            if (!_outbound.TryDequeue(out frame!)) return false;
            if (frame.Header.Type == (uint)XsdSockmsgType.XsWatchEvent) _pendingEvents--;
            else _pendingReplies--;
            return true;
        }
    }

    internal void EnqueueReply(XsMessageBuffer frame)
    {
        lock (_outbound)
        {
            if (IsClosed) { frame.Dispose(); return; }
            _outbound.Enqueue(frame);
            _pendingReplies++;
        }
    }

    /// <summary>Queues a watch event unless <paramref name="limit"/> events are already waiting.</summary>
    internal bool EnqueueEvent(XsMessageBuffer frame, int limit)
    {
        lock (_outbound)
        {
            if (IsClosed || _pendingEvents >= limit)
            {
                frame.Dispose();
                DroppedEvents++;
                return false;
            }
            _outbound.Enqueue(frame);
            _pendingEvents++;
            return true;
        }
    }

    internal void DiscardOutput()
    {
        lock (_outbound)
        {
            while (_outbound.TryDequeue(out var frame)) frame.Dispose();
            _pendingEvents = 0;
            _pendingReplies = 0;
        }
    }

    /// <inheritdoc />
    public override string ToString() => Name;
}
