using System.Runtime.Intrinsics;

namespace Xen.Rings;

/// <summary>
/// Copies a ring entry out of shared memory in one pass, the way a C compiler copies a struct for
/// <c>RING_COPY_REQUEST</c>: every 16-byte chunk is loaded into a register before any is stored. Loading a whole entry
/// first lets the cache misses on a slot the peer just wrote overlap, and the 16-byte stores are read back cheaply by
/// the field loads that follow.
/// </summary>
internal static unsafe class SlotCopy
{
    private const int Chunk = 16;
    private const int MaxStaged = 8 * Chunk;

    /// <summary>Copies <c>sizeof(T)</c> bytes at <paramref name="source"/> into <paramref name="value"/>, reading each byte once.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Read<T>(byte* source, out T value) where T : unmanaged
    {
        // sizeof(T) is a constant once compiled, so only one branch survives and the chunk tests fold away.
        if (sizeof(T) < Chunk || sizeof(T) > MaxStaged || !Vector128.IsHardwareAccelerated)
        {
            value = Unsafe.ReadUnaligned<T>(source);
            return;
        }
        Unsafe.SkipInit(out value);
        ref byte target = ref Unsafe.As<T, byte>(ref value);
        // The last chunk overlaps the one before it when the size is not a multiple of 16; it is still read once.
        var c0 = Load(source, 0);
        var c1 = sizeof(T) > 1 * Chunk ? Load(source, At(1)) : default;
        var c2 = sizeof(T) > 2 * Chunk ? Load(source, At(2)) : default;
        var c3 = sizeof(T) > 3 * Chunk ? Load(source, At(3)) : default;
        var c4 = sizeof(T) > 4 * Chunk ? Load(source, At(4)) : default;
        var c5 = sizeof(T) > 5 * Chunk ? Load(source, At(5)) : default;
        var c6 = sizeof(T) > 6 * Chunk ? Load(source, At(6)) : default;
        var c7 = sizeof(T) > 7 * Chunk ? Load(source, At(7)) : default;
        c0.StoreUnsafe(ref target);
        if (sizeof(T) > 1 * Chunk) c1.StoreUnsafe(ref target, At(1));
        if (sizeof(T) > 2 * Chunk) c2.StoreUnsafe(ref target, At(2));
        if (sizeof(T) > 3 * Chunk) c3.StoreUnsafe(ref target, At(3));
        if (sizeof(T) > 4 * Chunk) c4.StoreUnsafe(ref target, At(4));
        if (sizeof(T) > 5 * Chunk) c5.StoreUnsafe(ref target, At(5));
        if (sizeof(T) > 6 * Chunk) c6.StoreUnsafe(ref target, At(6));
        if (sizeof(T) > 7 * Chunk) c7.StoreUnsafe(ref target, At(7));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        static Vector128<byte> Load(byte* source, nuint offset) => Unsafe.ReadUnaligned<Vector128<byte>>(ref Unsafe.AddByteOffset(ref *source, offset));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        static nuint At(int chunk) => (nuint)Math.Min(chunk * Chunk, sizeof(T) - Chunk);
    }
}
