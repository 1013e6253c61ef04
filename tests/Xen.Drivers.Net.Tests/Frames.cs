using System.Buffers.Binary;

namespace Xen.Drivers.Net.Tests;

/// <summary>Ethernet frames for tests, built byte by byte from the RFCs' layouts.</summary>
public static class Frames
{
    /// <summary>An Ethernet/IPv4/UDP frame of <paramref name="payload"/> bytes of a seeded pattern, checksums filled.</summary>
    public static byte[] Udp4(int payload, int seed)
    {
        var frame = new byte[14 + 20 + 8 + payload];
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(12), 0x0800);
        var ip = frame.AsSpan(14);
        ip[0] = 0x45;
        BinaryPrimitives.WriteUInt16BigEndian(ip[2..], (ushort)(20 + 8 + payload));
        ip[8] = 64;
        ip[9] = 17;
        new byte[] { 10, 0, 0, 1, 10, 0, 0, 2 }.CopyTo(ip[12..]);
        BinaryPrimitives.WriteUInt16BigEndian(ip[10..], (ushort)~InternetChecksum.Fold(InternetChecksum.Sum(ip[..20])));
        var udp = ip[20..];
        BinaryPrimitives.WriteUInt16BigEndian(udp, (ushort)(1000 + seed % 7));
        BinaryPrimitives.WriteUInt16BigEndian(udp[2..], 2000);
        BinaryPrimitives.WriteUInt16BigEndian(udp[4..], (ushort)(8 + payload));
        new Random(seed).NextBytes(udp[8..]);
        var pseudo = new byte[12];
        ip.Slice(12, 8).CopyTo(pseudo);
        pseudo[9] = 17;
        BinaryPrimitives.WriteUInt16BigEndian(pseudo.AsSpan(10), (ushort)(8 + payload));
        var sum = InternetChecksum.Sum(pseudo) + InternetChecksum.Sum(udp);
        var value = (ushort)~InternetChecksum.Fold(sum);
        BinaryPrimitives.WriteUInt16BigEndian(udp[6..], value == 0 ? (ushort)0xFFFF : value);
        return frame;
    }

    /// <summary>
    /// An Ethernet/IPv4/TCP frame (20-byte TCP header, ACK|PSH) of <paramref name="payload"/> seeded bytes, its TCP
    /// checksum left blank as a sender with checksum offload leaves it (the pseudo-header sum only).
    /// </summary>
    public static byte[] Tcp4ChecksumBlank(int payload, int seed)
    {
        var frame = new byte[14 + 20 + 20 + payload];
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(12), 0x0800);
        var ip = frame.AsSpan(14);
        ip[0] = 0x45;
        BinaryPrimitives.WriteUInt16BigEndian(ip[2..], (ushort)(20 + 20 + payload));
        ip[8] = 64;
        ip[9] = 6;
        new byte[] { 10, 0, 0, 1, 10, 0, 0, 2 }.CopyTo(ip[12..]);
        BinaryPrimitives.WriteUInt16BigEndian(ip[10..], (ushort)~InternetChecksum.Fold(InternetChecksum.Sum(ip[..20])));
        var tcp = ip[20..];
        BinaryPrimitives.WriteUInt16BigEndian(tcp, (ushort)(3000 + seed % 7));
        BinaryPrimitives.WriteUInt16BigEndian(tcp[2..], 4000);
        BinaryPrimitives.WriteUInt32BigEndian(tcp[4..], (uint)seed * 1_000_003u);
        tcp[12] = 5 << 4;
        tcp[13] = 0x18;
        BinaryPrimitives.WriteUInt16BigEndian(tcp[14..], 65535);
        new Random(seed).NextBytes(tcp[20..]);
        var pseudo = new byte[12];
        ip.Slice(12, 8).CopyTo(pseudo);
        pseudo[9] = 6;
        BinaryPrimitives.WriteUInt16BigEndian(pseudo.AsSpan(10), (ushort)(20 + payload));
        BinaryPrimitives.WriteUInt16BigEndian(tcp[16..], InternetChecksum.Fold(InternetChecksum.Sum(pseudo)));
        return frame;
    }

    /// <summary>
    /// An Ethernet/IPv6/TCP frame (no extension headers, 20-byte TCP header, ACK|PSH) of <paramref name="payload"/>
    /// seeded bytes, its TCP checksum left blank as a sender with checksum offload leaves it (the pseudo-header sum only).
    /// </summary>
    public static byte[] Tcp6ChecksumBlank(int payload, int seed)
    {
        var frame = new byte[14 + 40 + 20 + payload];
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(12), 0x86DD);
        var ip = frame.AsSpan(14);
        ip[0] = 0x60;
        BinaryPrimitives.WriteUInt16BigEndian(ip[4..], (ushort)(20 + payload));
        ip[6] = 6;
        ip[7] = 64;
        ip[8] = 0x20; ip[9] = 0x01; ip[10] = 0x0d; ip[11] = 0xb8; ip[23] = 1;   // 2001:db8::1
        ip[24] = 0x20; ip[25] = 0x01; ip[26] = 0x0d; ip[27] = 0xb8; ip[39] = 2; // 2001:db8::2
        var tcp = ip[40..];
        BinaryPrimitives.WriteUInt16BigEndian(tcp, (ushort)(3000 + seed % 7));
        BinaryPrimitives.WriteUInt16BigEndian(tcp[2..], 4000);
        BinaryPrimitives.WriteUInt32BigEndian(tcp[4..], (uint)seed * 1_000_003u);
        tcp[12] = 5 << 4;
        tcp[13] = 0x18;
        BinaryPrimitives.WriteUInt16BigEndian(tcp[14..], 65535);
        new Random(seed).NextBytes(tcp[20..]);
        var pseudo = new byte[40];
        ip.Slice(8, 32).CopyTo(pseudo);
        BinaryPrimitives.WriteUInt32BigEndian(pseudo.AsSpan(32), (uint)(20 + payload));
        pseudo[39] = 6;
        BinaryPrimitives.WriteUInt16BigEndian(tcp[16..], InternetChecksum.Fold(InternetChecksum.Sum(pseudo)));
        return frame;
    }
}
