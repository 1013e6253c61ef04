namespace Xen.Drivers.Ethernet.Xenbus;

/// <summary>The XenStore keys of io/netif.h's negotiation, the frontend's and the backend's.</summary>
public static class NetifKeys
{
    /// <summary><c>feature-rx-copy</c>.</summary>
    public const string FeatureRxCopy = "feature-rx-copy";
    /// <summary><c>feature-sg</c>.</summary>
    public const string FeatureSg = "feature-sg";
    /// <summary><c>feature-gso-tcpv4</c>.</summary>
    public const string FeatureGsoTcpV4 = "feature-gso-tcpv4";
    /// <summary><c>feature-gso-tcpv6</c>.</summary>
    public const string FeatureGsoTcpV6 = "feature-gso-tcpv6";
    /// <summary><c>feature-no-csum-offload</c>.</summary>
    public const string FeatureNoCsumOffload = "feature-no-csum-offload";
    /// <summary><c>feature-ipv6-csum-offload</c>.</summary>
    public const string FeatureIpv6CsumOffload = "feature-ipv6-csum-offload";
    /// <summary><c>feature-split-event-channels</c>.</summary>
    public const string FeatureSplitEventChannels = "feature-split-event-channels";
    /// <summary><c>feature-rx-notify</c>.</summary>
    public const string FeatureRxNotify = "feature-rx-notify";
    /// <summary><c>multi-queue-max-queues</c>.</summary>
    public const string MultiQueueMaxQueues = "multi-queue-max-queues";
    /// <summary><c>multi-queue-num-queues</c>.</summary>
    public const string MultiQueueNumQueues = "multi-queue-num-queues";
    /// <summary><c>request-rx-copy</c>.</summary>
    public const string RequestRxCopy = "request-rx-copy";
    /// <summary><c>tx-ring-ref</c>.</summary>
    public const string TxRingRef = "tx-ring-ref";
    /// <summary><c>rx-ring-ref</c>.</summary>
    public const string RxRingRef = "rx-ring-ref";
    /// <summary><c>event-channel</c>.</summary>
    public const string EventChannel = "event-channel";
    /// <summary><c>event-channel-tx</c>.</summary>
    public const string EventChannelTx = "event-channel-tx";
    /// <summary><c>event-channel-rx</c>.</summary>
    public const string EventChannelRx = "event-channel-rx";
    /// <summary><c>mac</c>.</summary>
    public const string Mac = "mac";
    /// <summary><c>mtu</c>.</summary>
    public const string Mtu = "mtu";

    /// <summary><c>feature-rx-flip</c> (page flipping, which no one offers any more).</summary>
    public const string FeatureRxFlip = "feature-rx-flip";

    /// <summary>Where queue <paramref name="index"/>'s keys go: the device directory itself for a single queue.</summary>
    public static string QueueDirectory(string device, int index, int count) => count == 1 ? device : $"{device}/queue-{index}";
}
