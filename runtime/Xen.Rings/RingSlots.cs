namespace Xen.Rings;

/// <summary>
/// Where a request/response ring lives: the shared ring, its entry slots and their count. The front and back ring
/// cores each hold one, beside their private indices.
/// </summary>
internal readonly unsafe struct RingSlots
{
    private readonly byte* _slots;
    private readonly int _entryBytes;

    /// <summary>
    /// A shared ring of <paramref name="ringBytes"/> bytes whose slots start at <paramref name="ringOffset"/> and are
    /// <paramref name="entryBytes"/> apart; the count is the slots that fit, rounded down to a power of two.
    /// </summary>
    public RingSlots(byte* sring, int ringOffset, int entryBytes, long ringBytes)
    {
        Shared = sring;
        _slots = sring + ringOffset;
        _entryBytes = entryBytes;
        Size = RingIndex.EntryCount(ringBytes, ringOffset, entryBytes);
    }

    /// <summary>The shared ring: its indices are at the offsets in <see cref="SharedRing"/>.</summary>
    public byte* Shared { get; }

    /// <summary>The number of entries (<c>RING_SIZE</c>).</summary>
    public uint Size { get; }

    /// <summary>The slot of ring index <paramref name="index"/> (<c>RING_GET_REQUEST</c>/<c>RING_GET_RESPONSE</c>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ref T At<T>(uint index) where T : unmanaged => ref *(T*)(_slots + (nint)(index & (Size - 1)) * _entryBytes);

    /// <summary>A single copy of the entry at <paramref name="index"/> out of shared memory (<c>RING_COPY_*</c>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public T Copy<T>(uint index) where T : unmanaged => Unsafe.ReadUnaligned<T>(_slots + (nint)(index & (Size - 1)) * _entryBytes);
}
