using Xen.Services;

namespace Xen.Drivers.Xbf.Rings;

/// <summary>
/// One request id of a queue: its own granted bounce pages (the only memory the backend sees of a request, so a
/// grant never exposes the caller's buffer or anything else), an indirect page when indirect segments are used,
/// and, while in flight, what the response must echo and where it completes.
/// </summary>
internal sealed class XbfRequestSlot(ulong id, GrantedPages bounce, GrantedPages? indirect) : IDisposable
{
    /// <summary>The id written in requests: the slot's index in its queue.</summary>
    public ulong Id { get; } = id;

    /// <summary>The data pages granted to the backend.</summary>
    public GrantedPages Bounce { get; } = bounce;

    /// <summary>The page of <c>blkif_request_segment</c>s for <c>BLKIF_OP_INDIRECT</c>, or null.</summary>
    public GrantedPages? Indirect { get; } = indirect;

    /// <summary>Whether a request with this id is on the ring and unanswered.</summary>
    public bool InFlight { get; set; }

    /// <summary>The operation the response must carry.</summary>
    public byte Operation { get; set; }

    /// <summary>Another operation a response may carry (the inner operation of an indirect request), or the same.</summary>
    public byte AlternateOperation { get; set; }

    /// <summary>For a read: where the bounced bytes go.</summary>
    public Memory<byte> ReadTarget { get; set; }

    /// <summary>Completes with the response's status.</summary>
    public TaskCompletionSource<short>? Completion { get; set; }

    /// <summary>Ends the backend's access to the pages.</summary>
    public void Dispose()
    {
        Bounce.Dispose();
        Indirect?.Dispose();
    }
}
