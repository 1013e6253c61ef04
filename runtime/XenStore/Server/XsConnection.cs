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
    private readonly XsOutboundQueue _outbound;
    private readonly Action _outputAvailable;

    internal XsConnection(uint id, uint domainId, string name, Action outputAvailable, XsQuotas quotas, TimeProvider time)
    {
        Id = id;
        DomainId = domainId;
        Name = name;
        _outputAvailable = outputAvailable;
        _outbound = new XsOutboundQueue(IsPrivileged, quotas, time);
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

    /// <summary>Watch events dropped (an unprivileged client over its event memory quota, or leaving them unread too long); never any for dom0.</summary>
    public long DroppedEvents => _outbound.Dropped;

    /// <summary>Watch events not queued because an identical one (same path and token, not a special path) was still waiting.</summary>
    public long CoalescedEvents => _outbound.Coalesced;

    /// <summary>Watch events queued and not yet taken by the transport.</summary>
    public int PendingEvents => _outbound.Events;

    /// <summary>Replies queued and not yet taken by the transport.</summary>
    public int PendingReplies => _outbound.Replies;

    /// <summary>Whether replies or events are queued.</summary>
    public bool HasOutput => _outbound.Replies > 0 || _outbound.Events > 0;

    /// <summary>Whether the client's requests should wait: it is over its event memory quota (C xenstored stalls such a domain's interface too).</summary>
    public bool IsStalled => _outbound.IsStalled;

    internal List<XsServerWatch> Watches { get; } = new();

    internal Dictionary<uint, XsServerTransaction> Transactions { get; } = new();

    /// <summary>Raised, possibly on another connection's thread and under the server's lock, when frames were queued; the transport must not call back into the server from it.</summary>
    internal void SignalOutput() => _outputAvailable();

    /// <summary>Takes the next frame to send; the caller disposes it once sent.</summary>
    /// <param name="frame">The frame.</param>
    /// <returns>False when nothing is queued.</returns>
    public bool TryDequeue(out XsMessageBuffer frame) => _outbound.TryDequeue(out frame);

    internal void EnqueueReply(XsMessageBuffer frame) => _outbound.EnqueueReply(frame);

    /// <summary>Offers a watch event (see <see cref="XsOutboundQueue"/> for when it is dropped); the queue owns the frame.</summary>
    internal XsEventFate EnqueueEvent(XsMessageBuffer frame, bool special) => _outbound.EnqueueEvent(frame, special);

    internal void DiscardOutput(bool close) => _outbound.Clear(close);

    /// <inheritdoc />
    public override string ToString() => Name;
}
