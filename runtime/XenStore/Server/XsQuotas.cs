namespace Xen.XenStore.Server;

/// <summary>
/// Per-domain limits applied to unprivileged connections (dom0 is exempt), with the defaults Xen's C xenstored
/// ships. Each is checked where the resource is taken and answered with the error the C daemon uses.
/// </summary>
public sealed record XsQuotas
{
    /// <summary>Nodes a domain may own (ENOSPC beyond).</summary>
    public int NodesPerDomain { get; init; } = 1000;

    /// <summary>Watches a connection may hold (E2BIG beyond).</summary>
    public int WatchesPerDomain { get; init; } = 128;

    /// <summary>Transactions a connection may have open (ENOSPC beyond).</summary>
    public int TransactionsPerDomain { get; init; } = 10;

    /// <summary>Largest value in bytes (ENOSPC beyond).</summary>
    public int MaxValueSize { get; init; } = 2048;

    /// <summary>Longest path in bytes below the domain's home, counted as a relative path (EINVAL beyond).</summary>
    public int MaxRelativePathLength { get; init; } = XsWire.XenstoreRelPathMax;

    /// <summary>Requests whose replies have not been sent yet; the connection is not read beyond (back-pressure).</summary>
    public int OutstandingRequests { get; init; } = 20;

    /// <summary>
    /// Bytes of watch events an unprivileged connection may have queued (the C daemon's hard <c>memory</c> quota,
    /// which XSA-326 made count queued events); a further event is dropped and counted, and the guest's requests
    /// wait until it has read its events. Dom0 is never limited.
    /// </summary>
    public long WatchEventMemory { get; init; } = 2_621_440;

    /// <summary>How long an unprivileged connection's watch event may stay unread before it is discarded (the C daemon's <c>watch-event</c> timeout).</summary>
    public TimeSpan WatchEventTimeout { get; init; } = TimeSpan.FromSeconds(20);
}
