using Xen.XenStore.Protocol;

namespace Xen.XenStore.Server;

/// <summary>What became of a watch event offered to a connection's queue.</summary>
internal enum XsEventFate
{
    /// <summary>Queued for the transport.</summary>
    Queued,

    /// <summary>Dropped: an identical event (same path and token, not a special <c>@</c> path) is still waiting (XSA-326).</summary>
    Coalesced,

    /// <summary>Dropped: the guest's queued events already use its event memory quota.</summary>
    OverQuota,

    /// <summary>Dropped: the connection is closed.</summary>
    Closed,
}

/// <summary>
/// The frames one connection has to send, in order: replies and watch events. Privileged connections (dom0) never
/// lose an event but an identical one still waiting; unprivileged ones are held to XSA-326's rules: queued
/// events count against <see cref="XsQuotas.WatchEventMemory"/> and are dropped past it, and an event left unread
/// for <see cref="XsQuotas.WatchEventTimeout"/> is discarded instead of sent. Thread-safe (its own lock).
/// </summary>
internal sealed class XsOutboundQueue
{
    private readonly Queue<Entry> _frames = new();
    private readonly HashSet<string> _waitingEvents = new(StringComparer.Ordinal);
    private readonly bool _privileged;
    private readonly XsQuotas _quotas;
    private readonly TimeProvider _time;
    private int _replies;
    private int _events;
    private long _eventBytes;

    public XsOutboundQueue(bool privileged, XsQuotas quotas, TimeProvider time)
    {
        _privileged = privileged;
        _quotas = quotas;
        _time = time;
    }

    public int Replies => Volatile.Read(ref _replies);

    public int Events { get { lock (_frames) return _events; } }

    public long EventBytes { get { lock (_frames) return _eventBytes; } }

    /// <summary>Events dropped because the quota was used up or they waited too long.</summary>
    public long Dropped { get; private set; }

    /// <summary>Events not queued because an identical one was waiting.</summary>
    public long Coalesced { get; private set; }

    /// <summary>Whether an event was dropped for the memory quota since the queue last ran out of events: the guest's requests wait meanwhile, as C xenstored stalls a domain over its memory quota.</summary>
    public bool IsStalled { get; private set; }

    public bool IsClosed { get; private set; }

    public void EnqueueReply(XsMessageBuffer frame)
    {
        lock (_frames)
        {
            if (IsClosed) { frame.Dispose(); return; }
            _frames.Enqueue(new Entry(frame, 0, null, IsEvent: false));
            _replies++;
        }
    }

    /// <summary>Offers a watch event; the queue owns <paramref name="frame"/> from then on, whatever its fate.</summary>
    /// <param name="frame">The whole <c>XS_WATCH_EVENT</c> frame.</param>
    /// <param name="special">Whether the event is for a special path (never coalesced: each one counts).</param>
    public XsEventFate EnqueueEvent(XsMessageBuffer frame, bool special)
    {
        lock (_frames)
        {
            ExpireEvents();
            var fate = Admit(frame, special, out string? key);
            if (fate != XsEventFate.Queued)
            {
                frame.Dispose();
                return fate;
            }
            if (key is not null) _waitingEvents.Add(key);
            _frames.Enqueue(new Entry(frame, _time.GetTimestamp(), key, IsEvent: true));
            _events++;
            _eventBytes += frame.Length;
            return fate;
        }
    }

    private XsEventFate Admit(XsMessageBuffer frame, bool special, out string? key)
    {
        key = null;
        if (IsClosed) return XsEventFate.Closed;
        if (!special)
        {
            key = System.Text.Encoding.Latin1.GetString(frame.Payload);
            if (_waitingEvents.Contains(key))
            {
                Coalesced++;
                return XsEventFate.Coalesced;
            }
        }
        if (!_privileged && _eventBytes + frame.Length > _quotas.WatchEventMemory)
        {
            Dropped++;
            IsStalled = true;
            return XsEventFate.OverQuota;
        }
        return XsEventFate.Queued;
    }

    public bool TryDequeue(out XsMessageBuffer frame)
    {
        lock (_frames)
        {
            ExpireEvents();
            if (!_frames.TryDequeue(out var entry))
            {
                frame = null!;
                return false;
            }
            Forget(entry);
            frame = entry.Frame;
            return true;
        }
    }

    /// <summary>Drops everything queued; with <paramref name="close"/>, anything offered later too.</summary>
    public void Clear(bool close)
    {
        lock (_frames)
        {
            IsClosed |= close;
            while (_frames.TryDequeue(out var entry)) entry.Frame.Dispose();
            _waitingEvents.Clear();
            _replies = 0;
            _events = 0;
            _eventBytes = 0;
            IsStalled = false;
        }
    }

    /// <summary>Discards the unprivileged connection's events at the head of the queue that waited longer than the timeout.</summary>
    private void ExpireEvents()
    {
        if (_privileged) return;
        while (_frames.TryPeek(out var entry) && entry.IsEvent && _time.GetElapsedTime(entry.QueuedAt) > _quotas.WatchEventTimeout)
        {
            _frames.Dequeue();
            Forget(entry);
            entry.Frame.Dispose();
            Dropped++;
        }
    }

    private void Forget(in Entry entry)
    {
        if (!entry.IsEvent)
        {
            _replies--;
            return;
        }
        _events--;
        _eventBytes -= entry.Frame.Length;
        if (entry.Key is not null) _waitingEvents.Remove(entry.Key);
        if (_events == 0) IsStalled = false;
    }

    private readonly record struct Entry(XsMessageBuffer Frame, long QueuedAt, string? Key, bool IsEvent);
}
