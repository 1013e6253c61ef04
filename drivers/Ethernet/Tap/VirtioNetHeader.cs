using System.Runtime.InteropServices;

namespace Xen.Drivers.Ethernet.Tap;

/// <summary>
/// <c>struct virtio_net_hdr</c> of <c>linux/virtio_net.h</c>, in front of every frame on a TAP device opened with
/// <c>IFF_VNET_HDR</c> (little-endian fields on the x86 host); a test checks the layout with clang.
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = Size)]
public struct VirtioNetHeader
{
    /// <summary><c>sizeof(struct virtio_net_hdr)</c>.</summary>
    public const int Size = 10;

    /// <summary><c>VIRTIO_NET_HDR_F_NEEDS_CSUM</c>: checksum from <see cref="CsumStart"/> to be stored at <see cref="CsumOffset"/>.</summary>
    public const byte FlagNeedsCsum = 1;

    /// <summary><c>VIRTIO_NET_HDR_F_DATA_VALID</c>.</summary>
    public const byte FlagDataValid = 2;

    /// <summary><c>VIRTIO_NET_HDR_GSO_NONE</c>.</summary>
    public const byte GsoNone = 0;

    /// <summary><c>VIRTIO_NET_HDR_GSO_TCPV4</c>.</summary>
    public const byte GsoTcpV4 = 1;

    /// <summary><c>VIRTIO_NET_HDR_GSO_TCPV6</c>.</summary>
    public const byte GsoTcpV6 = 4;

    /// <summary><c>VIRTIO_NET_HDR_GSO_ECN</c>: a bit on top of the type.</summary>
    public const byte GsoEcn = 0x80;

    /// <summary><c>flags</c>.</summary>
    [FieldOffset(0)] public byte Flags;

    /// <summary><c>gso_type</c>.</summary>
    [FieldOffset(1)] public byte GsoType;

    /// <summary><c>hdr_len</c>: Ethernet, IP and TCP headers' length.</summary>
    [FieldOffset(2)] public ushort HdrLen;

    /// <summary><c>gso_size</c>: the MSS.</summary>
    [FieldOffset(4)] public ushort GsoSize;

    /// <summary><c>csum_start</c>.</summary>
    [FieldOffset(6)] public ushort CsumStart;

    /// <summary><c>csum_offset</c>.</summary>
    [FieldOffset(8)] public ushort CsumOffset;
}
