using System.Buffers.Binary;

namespace Xen.Drivers.Ethernet.Frames;

/// <summary>
/// Where a frame's TCP or UDP header and checksum field are (Linux's <c>skb_checksum_setup</c>): netif carries only
/// "checksum blank", so the receiving end finds the field itself. Ethernet with at most one 802.1Q tag; IPv4 (not
/// fragmented) or IPv6 with hop-by-hop, routing and destination options headers skipped.
/// </summary>
public static class L4Headers
{
    private const ushort EtherTypeIPv4 = 0x0800;
    private const ushort EtherTypeIPv6 = 0x86DD;
    private const ushort EtherTypeVlan = 0x8100;
    private const int EthernetHeader = 14;
    private const int VlanTag = 4;
    private const byte ProtocolTcp = 6;
    private const byte ProtocolUdp = 17;
    private const byte Ipv6HopByHop = 0;
    private const byte Ipv6Routing = 43;
    private const byte Ipv6DestinationOptions = 60;
    private const int Ipv6Header = 40;
    private const int TcpChecksumOffset = 16;
    private const int UdpChecksumOffset = 6;
    private const int TcpMinHeader = 20;
    private const int UdpHeader = 8;

    /// <summary>Finds the L4 header of <paramref name="frame"/>.</summary>
    /// <param name="frame">An Ethernet frame.</param>
    /// <param name="location">Where its L4 header and checksum are.</param>
    /// <returns>False when the frame is not TCP or UDP over IPv4/IPv6, or is truncated.</returns>
    public static bool TryLocate(ReadOnlySpan<byte> frame, out L4Location location)
    {
        location = default;
        if (frame.Length < EthernetHeader) return false;
        var offset = EthernetHeader;
        var etherType = BinaryPrimitives.ReadUInt16BigEndian(frame[12..]);
        if (etherType == EtherTypeVlan)
        {
            if (frame.Length < EthernetHeader + VlanTag) return false;
            etherType = BinaryPrimitives.ReadUInt16BigEndian(frame[16..]);
            offset += VlanTag;
        }
        byte protocol;
        bool v6;
        switch (etherType)
        {
            case EtherTypeIPv4:
                if (frame.Length < offset + 20) return false;
                var ihl = (frame[offset] & 0xF) * 4;
                var fragment = BinaryPrimitives.ReadUInt16BigEndian(frame[(offset + 6)..]) & 0x3FFF;
                if (ihl < 20 || fragment != 0) return false;
                protocol = frame[offset + 9];
                offset += ihl;
                v6 = false;
                break;
            case EtherTypeIPv6:
                if (frame.Length < offset + Ipv6Header) return false;
                protocol = frame[offset + 6];
                offset += Ipv6Header;
                while (protocol is Ipv6HopByHop or Ipv6Routing or Ipv6DestinationOptions)
                {
                    if (frame.Length < offset + 8) return false;
                    protocol = frame[offset];
                    offset += (frame[offset + 1] + 1) * 8;
                }
                v6 = true;
                break;
            default:
                return false;
        }
        int checksum, header;
        if (protocol == ProtocolTcp)
        {
            if (frame.Length < offset + TcpMinHeader) return false;
            checksum = TcpChecksumOffset;
            header = (frame[offset + 12] >> 4) * 4;
            if (header < TcpMinHeader) return false;
        }
        else if (protocol == ProtocolUdp)
        {
            checksum = UdpChecksumOffset;
            header = UdpHeader;
        }
        else
        {
            return false;
        }
        if (frame.Length < offset + header) return false;
        location = new L4Location(offset, checksum, header, protocol == ProtocolTcp, v6);
        return true;
    }

    /// <summary>
    /// Completes a blank checksum (Linux's <c>skb_checksum_help</c>): the field holds the pseudo-header sum, so the
    /// ones' complement of the sum from the L4 header to the end goes into it.
    /// </summary>
    public static void FillChecksum(Span<byte> frame, L4Location location)
    {
        var field = frame.Slice(location.HeaderStart + location.ChecksumOffset, 2);
        var folded = InternetChecksum.Fold(InternetChecksum.Sum(frame[location.HeaderStart..]));
        var value = (ushort)~folded;
        if (value == 0 && !location.IsTcp) value = 0xFFFF; // UDP sends 0 as "no checksum"
        BinaryPrimitives.WriteUInt16BigEndian(field, value);
    }
}

/// <summary>Where a frame's L4 header is.</summary>
/// <param name="HeaderStart">Offset of the TCP/UDP header from the frame's first byte.</param>
/// <param name="ChecksumOffset">Offset of the checksum field within that header.</param>
/// <param name="HeaderLength">The TCP/UDP header's length.</param>
/// <param name="IsTcp">TCP, else UDP.</param>
/// <param name="IsIPv6">Over IPv6, else IPv4.</param>
public readonly record struct L4Location(int HeaderStart, int ChecksumOffset, int HeaderLength, bool IsTcp, bool IsIPv6);
