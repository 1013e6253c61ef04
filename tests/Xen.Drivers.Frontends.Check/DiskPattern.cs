using System.Buffers.Binary;

namespace Xen.Drivers.Frontends.Check;

/// <summary>
/// Seeded disk content: the 8 bytes at each 8-aligned offset are a SplitMix64 of (seed, offset), so dom0 and the
/// guest compute the same bytes of any range without sharing anything but the seed.
/// </summary>
internal static class DiskPattern
{
    /// <summary>Fills <paramref name="bytes"/> with the pattern of <paramref name="seed"/> from byte <paramref name="offset"/> (8-aligned).</summary>
    public static void Fill(Span<byte> bytes, long offset, ulong seed)
    {
        if (offset % 8 != 0 || bytes.Length % 8 != 0) throw new ArgumentException($"pattern range {offset}+{bytes.Length} is not 8-aligned");
        for (int i = 0; i < bytes.Length; i += 8)
            BinaryPrimitives.WriteUInt64LittleEndian(bytes[i..], Mix(seed ^ (ulong)(offset + i) * 0x9E3779B97F4A7C15));
    }

    private static ulong Mix(ulong z)
    {
        z += 0x9E3779B97F4A7C15;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
        return z ^ (z >> 31);
    }
}
