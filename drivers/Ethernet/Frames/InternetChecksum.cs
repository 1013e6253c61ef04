using System.Buffers.Binary;

namespace Xen.Drivers.Ethernet.Frames;

/// <summary>The Internet checksum (RFC 1071): a ones' complement sum of 16-bit big-endian words.</summary>
public static class InternetChecksum
{
    /// <summary>The unfolded sum of <paramref name="data"/> (an odd last byte padded with zero).</summary>
    public static ulong Sum(ReadOnlySpan<byte> data)
    {
        ulong sum = 0;
        var i = 0;
        for (; i + 4 <= data.Length; i += 4) sum += BinaryPrimitives.ReadUInt32BigEndian(data[i..]);
        for (; i + 2 <= data.Length; i += 2) sum += BinaryPrimitives.ReadUInt16BigEndian(data[i..]);
        if (i < data.Length) sum += (ulong)data[i] << 8;
        return sum;
    }

    /// <summary>Folds a sum into 16 bits with end-around carry.</summary>
    public static ushort Fold(ulong sum)
    {
        while (sum >> 16 != 0) sum = (sum & 0xFFFF) + (sum >> 16);
        return (ushort)sum;
    }
}
