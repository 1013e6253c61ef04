namespace Xen.Rings;

/// <summary>
/// The fixed head of every <c>DEFINE_RING_TYPES</c> shared ring: four 32-bit indices, a private area and padding,
/// followed by the entry slots. The generator checks each model's shared ring against these offsets.
/// </summary>
public static unsafe class SharedRing
{
    /// <summary>Byte offset of <c>req_prod</c>.</summary>
    public const int RequestProducerOffset = 0;
    /// <summary>Byte offset of <c>req_event</c>.</summary>
    public const int RequestEventOffset = 4;
    /// <summary>Byte offset of <c>rsp_prod</c>.</summary>
    public const int ResponseProducerOffset = 8;
    /// <summary>Byte offset of <c>rsp_event</c>.</summary>
    public const int ResponseEventOffset = 12;

    /// <summary>
    /// Initialises an empty shared ring (<c>SHARED_RING_INIT</c>): producers at 0, event indices at 1, and the
    /// private area and padding between the indices and the first slot zeroed.
    /// </summary>
    public static void Init(byte* sring, int ringOffset)
    {
        Index(sring, RequestProducerOffset) = 0;
        Index(sring, ResponseProducerOffset) = 0;
        Index(sring, RequestEventOffset) = 1;
        Index(sring, ResponseEventOffset) = 1;
        new Span<byte>(sring + 16, ringOffset - 16).Clear();
    }

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
