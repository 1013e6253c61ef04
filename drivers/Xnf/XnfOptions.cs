namespace Xen.Drivers.Xnf;

/// <summary>What the frontend offers and asks for; each feature is used only when the backend offers it too.</summary>
public sealed record XnfOptions
{
    /// <summary>Checksum offload both ways; off writes <c>feature-no-csum-offload</c> and sends every checksum filled.</summary>
    public bool ChecksumOffload { get; init; } = true;

    /// <summary>TCP segmentation offload both ways (<c>feature-gso-tcpv4</c>, <c>-tcpv6</c>); needs scatter-gather.</summary>
    public bool Segmentation { get; init; } = true;

    /// <summary>Frames over several slots (<c>feature-sg</c>).</summary>
    public bool ScatterGather { get; init; } = true;

    /// <summary>The most queues to ask for (<c>multi-queue-num-queues</c>, at most the backend's <c>multi-queue-max-queues</c>).</summary>
    public int MaxQueues { get; init; } = 1;

    /// <summary>Separate tx and rx event channels when the backend offers <c>feature-split-event-channels</c>.</summary>
    public bool SplitEventChannels { get; init; } = true;
}
