namespace Xen.Drivers.Xbf;

/// <summary>What the frontend asks for at most; the backend's offers cap each.</summary>
public sealed class XbfOptions
{
    /// <summary>The largest ring this frontend sets up, as a page order (<c>ring-page-order</c>; Linux's max_ring_page_order).</summary>
    public int MaxRingPageOrder { get; init; } = 1;

    /// <summary>The most queues (rings with their own event channel) it uses (<c>multi-queue-num-queues</c>).</summary>
    public int MaxQueues { get; init; } = 2;

    /// <summary>The most segments (pages) one request carries when the backend offers indirect segments.</summary>
    public int MaxIndirectSegments { get; init; } = 32;

    /// <summary>The most requests in flight on one queue (each holds its own granted bounce pages).</summary>
    public int MaxRequestsPerQueue { get; init; } = 32;

    /// <summary>Whether to ask for persistent grants (<c>feature-persistent</c>): the bounce pages stay granted between requests.</summary>
    public bool Persistent { get; init; } = true;
}
