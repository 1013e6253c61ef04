namespace Xen.Drivers.Ethernet.Frames;

/// <summary>What a receiver of frames accepts: which frames may come with a blank checksum or unsegmented.</summary>
[Flags]
public enum OffloadFeatures
{
    /// <summary>Only complete, checksummed, MTU-sized frames.</summary>
    None = 0,

    /// <summary>Blank TCP/UDP checksums over IPv4.</summary>
    ChecksumIPv4 = 1,

    /// <summary>Blank TCP/UDP checksums over IPv6.</summary>
    ChecksumIPv6 = 2,

    /// <summary>Unsegmented TCP over IPv4 (implies a blank checksum).</summary>
    TcpV4Segmentation = 4,

    /// <summary>Unsegmented TCP over IPv6.</summary>
    TcpV6Segmentation = 8,

    /// <summary>Frames in more than one page (netif's <c>feature-sg</c>).</summary>
    ScatterGather = 16,
}
