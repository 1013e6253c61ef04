namespace Xen.Drivers.Ethernet.Tap;

/// <summary>
/// The Linux uapi numbers of <c>linux/if_tun.h</c> and <c>linux/if.h</c> the TAP device uses (not Xen's, so not in
/// Xen.Abi); a test compiles them against the headers of linux-libc-dev with clang.
/// </summary>
public static class LinuxTun
{
    /// <summary><c>TUNSETIFF</c>: <c>_IOW('T', 202, int)</c>.</summary>
    public const uint TunSetIff = 0x400454CA;

    /// <summary><c>TUNSETOFFLOAD</c>: <c>_IOW('T', 208, unsigned int)</c>.</summary>
    public const uint TunSetOffload = 0x400454D0;

    /// <summary><c>TUNSETVNETHDRSZ</c>: <c>_IOW('T', 216, int)</c>.</summary>
    public const uint TunSetVnetHdrSz = 0x400454D8;

    /// <summary><c>IFF_TAP</c>: Ethernet frames.</summary>
    public const short IffTap = 0x0002;

    /// <summary><c>IFF_NO_PI</c>: no packet information prefix.</summary>
    public const short IffNoPi = 0x1000;

    /// <summary><c>IFF_VNET_HDR</c>: every frame prefixed by a <c>struct virtio_net_hdr</c>.</summary>
    public const short IffVnetHdr = 0x4000;

    /// <summary><c>TUN_F_CSUM</c>: we accept frames with a blank checksum.</summary>
    public const uint TunFCsum = 0x01;

    /// <summary><c>TUN_F_TSO4</c>: we accept unsegmented TCP over IPv4.</summary>
    public const uint TunFTso4 = 0x02;

    /// <summary><c>TUN_F_TSO6</c>: we accept unsegmented TCP over IPv6.</summary>
    public const uint TunFTso6 = 0x04;

    /// <summary><c>IFNAMSIZ</c>.</summary>
    public const int IfNameSize = 16;

    /// <summary><c>sizeof(struct ifreq)</c> on 64-bit Linux.</summary>
    public const int IfreqSize = 40;

    /// <summary><c>offsetof(struct ifreq, ifr_flags)</c>.</summary>
    public const int IfreqFlagsOffset = 16;
}
