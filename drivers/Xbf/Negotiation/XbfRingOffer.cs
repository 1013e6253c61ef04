namespace Xen.Drivers.Xbf.Negotiation;

/// <summary>
/// What the backend offers for rings before the frontend sets them up (read in <c>XenbusStateInitWait</c>):
/// <c>max-ring-page-order</c> and <c>multi-queue-max-queues</c>.
/// </summary>
/// <param name="MaxRingPageOrder">The backend's largest ring page order (0 when absent: one page).</param>
/// <param name="MaxQueues">The backend's most queues (1 when absent).</param>
internal sealed record XbfRingOffer(int MaxRingPageOrder, int MaxQueues)
{
    /// <summary>The most Xen pages a ring may span here (Linux's XENBUS_MAX_RING_GRANT_ORDER is 4).</summary>
    private const int RingOrderCeiling = 4;

    /// <summary>A sane upper bound on queues: each costs a ring, an event channel and bounce pages.</summary>
    private const int QueueCeiling = 16;

    public static async Task<XbfRingOffer> ReadAsync(Xen.XenStore.Client.XsStoreOperations store, string backend, CancellationToken cancellationToken)
    {
        var order = await XenbusKeys.ReadNumberAsync(store, backend, "max-ring-page-order", 0, cancellationToken).ConfigureAwait(false);
        var queues = await XenbusKeys.ReadNumberAsync(store, backend, "multi-queue-max-queues", 1, cancellationToken).ConfigureAwait(false);
        return new XbfRingOffer((int)Math.Min(order, RingOrderCeiling), (int)Math.Clamp(queues, 1, QueueCeiling));
    }

    /// <summary>The page order and queue count both ends accept.</summary>
    public (int PageOrder, int Queues) Choose(XbfOptions options)
        => (Math.Clamp(options.MaxRingPageOrder, 0, MaxRingPageOrder), Math.Clamp(options.MaxQueues, 1, MaxQueues));
}
