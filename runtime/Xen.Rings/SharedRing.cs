namespace Xen.Rings;

/// <summary>
/// The head of a <c>DEFINE_RING_TYPES</c> shared ring: four 32-bit indices, a private area and padding, followed by
/// the entry slots, at the offsets a <typeparamref name="TLayout"/> gives (taken from the model by the generator).
/// </summary>
/// <typeparam name="TLayout">The shared ring's layout.</typeparam>
public static unsafe class SharedRing<TLayout> where TLayout : struct, ISharedRingLayout
{
    /// <summary>
    /// Initialises an empty shared ring (<c>SHARED_RING_INIT</c>): producers at 0, event indices at 1, and the
    /// private area and padding before the first slot zeroed.
    /// </summary>
    /// <param name="sring">The shared ring.</param>
    public static void Init(byte* sring)
    {
        new Span<byte>(sring, TLayout.RingOffset).Clear();
        SharedRing.Index(sring, TLayout.RequestEventOffset) = 1;
        SharedRing.Index(sring, TLayout.ResponseEventOffset) = 1;
    }
}

/// <summary>Reads and writes of a shared ring's indices, at offsets the caller takes from its <see cref="ISharedRingLayout"/>.</summary>
internal static unsafe class SharedRing
{

    /// <summary>A reference to the 32-bit index at <paramref name="offset"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ref uint Index(byte* sring, int offset) => ref *(uint*)(sring + offset);

    /// <summary>Reads a peer-written index once, without the compiler caching or tearing it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static uint ReadIndex(byte* sring, int offset) => Volatile.Read(ref *(uint*)(sring + offset));

    /// <summary>Publishes an index written by this side.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void WriteIndex(byte* sring, int offset, uint value) => Volatile.Write(ref *(uint*)(sring + offset), value);

    /// <summary>
    /// Publishes this side's producer index after the entries it covers (<c>RING_PUSH_*</c>) and records it in
    /// <paramref name="published"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Push(byte* sring, int producerOffset, uint producer, ref uint published)
    {
        XenBarriers.Wmb();
        WriteIndex(sring, producerOffset, producer);
        published = producer;
    }

    /// <summary>
    /// Publishes this side's producer index and tells whether the peer asked for an event in the range just
    /// published, that is whether its event index lies in (<paramref name="published"/>, <paramref name="producer"/>]
    /// (<c>RING_PUSH_*_AND_CHECK_NOTIFY</c>); <paramref name="published"/> becomes <paramref name="producer"/>.
    /// </summary>
    /// <remarks>
    /// ring.h reads the old producer back from the shared page; this side is its only writer, so the value it last
    /// published is used instead. That spares a read of the index line the peer keeps writing (one coherence round
    /// trip per push), and a peer scribbling on our producer index cannot change the decision.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static bool PushAndCheckNotify(byte* sring, int producerOffset, int eventOffset, uint producer, ref uint published)
    {
        XenBarriers.Wmb();
        WriteIndex(sring, producerOffset, producer);
        XenBarriers.Mb();
        bool notify = unchecked(producer - ReadIndex(sring, eventOffset)) < unchecked(producer - published);
        published = producer;
        return notify;
    }
}
