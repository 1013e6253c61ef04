namespace Xen.Drivers.Netback;

/// <summary>What the backend offers (all of io/netif.h's data-path features by default) and how it behaves.</summary>
public sealed record NetbackOptions
{
    /// <summary>The most queues a frontend may ask for (<c>multi-queue-max-queues</c>).</summary>
    public int MaxQueues { get; init; } = 4;

    /// <summary>The link's MTU (<c>mtu</c>).</summary>
    public int Mtu { get; init; } = 1500;

    /// <summary>Whether to offer <c>feature-sg</c>, <c>feature-gso-tcpv4</c>/<c>-tcpv6</c> and <c>feature-ipv6-csum-offload</c>.</summary>
    public bool Offloads { get; init; } = true;

    /// <summary>Whether to offer <c>feature-split-event-channels</c>; without it each queue shares one event channel for tx and rx.</summary>
    public bool SplitEventChannels { get; init; } = true;

    /// <summary>Whether to offer <c>feature-rx-copy</c> (a frontend must refuse a backend without it).</summary>
    public bool RxCopy { get; init; } = true;

    /// <summary>Protocol violations for tests.</summary>
    public HostileMode Hostile { get; init; } = HostileMode.None;
}
