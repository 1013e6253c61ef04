namespace Xen.Drivers.Ethernet.Frames;

/// <summary>The segmentation a frame still needs (netif's <c>XEN_NETIF_GSO_TYPE_*</c>, virtio's <c>VIRTIO_NET_HDR_GSO_*</c>).</summary>
public enum GsoKind : byte
{
    /// <summary>A frame that fits the MTU.</summary>
    None,

    /// <summary>TCP over IPv4, to be cut into segments of <see cref="FrameOffload.GsoSize"/> bytes.</summary>
    TcpV4,

    /// <summary>TCP over IPv6.</summary>
    TcpV6,
}
