using System.Runtime.Intrinsics.X86;

namespace Xen.Rings;

/// <summary>
/// Where a request/response ring lives: the shared ring and its slots, each one <typeparamref name="TEntry"/> (the ring's
/// <c>union *_sring_entry</c>). Because the slot type is a type argument, the JIT compiles the stride as a constant, as a
/// C compiler does for <c>RING_GET_REQUEST</c>. The front and back ring cores each hold one beside their private indices.
/// </summary>
internal readonly unsafe struct RingSlots<TEntry> where TEntry : unmanaged
{
    /// <summary>How many entries ahead a consumer prefetches: enough to cover a cache miss on a slot the peer wrote.</summary>
    public const uint PrefetchDistance = 4;

    private readonly TEntry* _slots;
    private readonly uint _mask;

    /// <summary>
    /// A shared ring of <paramref name="ringBytes"/> bytes whose slots start at <paramref name="ringOffset"/>; the count
    /// is the slots that fit, rounded down to a power of two.
    /// </summary>
    public RingSlots(byte* sring, int ringOffset, long ringBytes)
    {
        Shared = sring;
        _slots = (TEntry*)(sring + ringOffset);
        _mask = RingIndex.EntryCount(ringBytes, ringOffset, sizeof(TEntry)) - 1;
    }

    /// <summary>The shared ring: its indices are at the offsets of the core's <see cref="ISharedRingLayout"/>.</summary>
    public byte* Shared { get; }

    /// <summary>The number of entries (<c>RING_SIZE</c>).</summary>
    public uint Size => _mask + 1;

    /// <summary>The slot of ring index <paramref name="index"/> (<c>RING_GET_REQUEST</c>/<c>RING_GET_RESPONSE</c>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ref T At<T>(uint index) where T : unmanaged
    {
        CheckFits<T>();
        return ref *(T*)(_slots + (index & _mask));
    }

    /// <summary>A single copy of the entry at <paramref name="index"/> out of shared memory (<c>RING_COPY_*</c>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void CopyOut<T>(uint index, out T value) where T : unmanaged
    {
        CheckFits<T>();
        SlotCopy.Read((byte*)(_slots + (index & _mask)), out value);
    }

    /// <summary>
    /// Asks the cache for the <typeparamref name="T"/> in the slot <paramref name="ahead"/> entries after
    /// <paramref name="index"/> while the current one is handled, if the peer has already published it
    /// (<paramref name="published"/> entries from <paramref name="index"/> on). A slot the peer is still writing is left
    /// alone, so as not to pull its cache line away from the peer, and only the lines the entry covers are asked for.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Prefetch<T>(uint index, uint published, uint ahead) where T : unmanaged
    {
        if (!Sse.IsSupported || ahead >= published) return;
        byte* entry = (byte*)(_slots + ((index + ahead) & _mask));
        // sizeof(T) is a constant once compiled: the tests fold away and one prefetch per line covered is left (the
        // first 256 bytes of a larger entry; the hardware prefetcher follows on from there).
        Sse.Prefetch0(entry);
        if (sizeof(T) > 64) Sse.Prefetch0(entry + 64);
        if (sizeof(T) > 128) Sse.Prefetch0(entry + 128);
        if (sizeof(T) > 192) Sse.Prefetch0(entry + 192);
        if (sizeof(T) > 1) Sse.Prefetch0(entry + Math.Min(sizeof(T), 256) - 1);
    }

    // A constant test after JIT compilation: a request or response type larger than the slot would reach past the
    // last slot, possibly past the shared pages.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CheckFits<T>() where T : unmanaged
    {
        if (sizeof(T) > sizeof(TEntry)) ThrowTooLarge(typeof(T), sizeof(T));
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowTooLarge(Type type, int size) =>
        throw new ArgumentException($"{type.Name} ({size} bytes) does not fit a {typeof(TEntry).Name} slot ({sizeof(TEntry)} bytes)");
}
