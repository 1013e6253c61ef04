namespace XenGen.Tests.Interop;

/// <summary>
/// The deterministic byte streams of the byte ring interop tests, the same as <c>stream_byte</c> in
/// byte_ring_peer.c: byte number <c>p</c> of stream <c>s</c> depends on both, so that a byte lost, repeated or
/// misplaced by any distance is caught. Also the random chunk sizes each side reads and writes in.
/// </summary>
public static class ByteStream
{
    /// <summary>Byte number <paramref name="position"/> of the stream <paramref name="seed"/>.</summary>
    public static byte At(ulong seed, ulong position)
    {
        ulong x = (position >> 3) ^ seed;
        x *= 0x9E3779B97F4A7C15UL;
        x ^= x >> 31;
        x *= 0xD6E8FEB86659FD93UL;
        x ^= x >> 32;
        return (byte)(x >> (int)((position & 7) * 8));
    }

    /// <summary>Fills <paramref name="destination"/> with the stream's bytes from <paramref name="position"/> on.</summary>
    public static void Fill(ulong seed, ulong position, Span<byte> destination)
    {
        for (int i = 0; i < destination.Length; i++) destination[i] = At(seed, position + (ulong)i);
    }

    /// <summary>The index of the first byte of <paramref name="data"/> that differs from the stream at <paramref name="position"/>, or -1.</summary>
    public static int FirstMismatch(ulong seed, ulong position, ReadOnlySpan<byte> data)
    {
        for (int i = 0; i < data.Length; i++)
        {
            if (data[i] != At(seed, position + (ulong)i)) return i;
        }
        return -1;
    }

    /// <summary>
    /// A chunk size for a ring of <paramref name="ringSize"/> bytes from the xorshift generator <paramref name="state"/>:
    /// a quarter of the time 1 to 8 bytes, otherwise up to one and a half rings (more than can fit).
    /// </summary>
    public static int NextChunk(ref ulong state, uint ringSize)
    {
        state ^= state >> 12;
        state ^= state << 25;
        state ^= state >> 27;
        ulong r = state * 0x2545F4914F6CDD1DUL;
        return (r & 3) == 0 ? 1 + (int)((r >> 8) % 8) : 1 + (int)((r >> 8) % (ringSize + ringSize / 2));
    }
}
