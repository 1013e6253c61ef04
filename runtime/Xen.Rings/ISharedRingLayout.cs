namespace Xen.Rings;

/// <summary>
/// Where a <c>DEFINE_RING_TYPES</c> shared ring (<c>struct name_sring</c>) keeps its four indices and its first slot.
/// This runtime has no Xen numbers of its own: the generator implements this for each ring from the model's record, as
/// a struct type argument of <see cref="FrontRingCore{TEntry, TLayout}"/> and <see cref="BackRingCore{TEntry, TLayout}"/>,
/// so the JIT compiles every offset as a constant, as a C compiler does for the macros.
/// </summary>
public interface ISharedRingLayout
{
    /// <summary>Byte offset of <c>req_prod</c>.</summary>
    static abstract int RequestProducerOffset { get; }

    /// <summary>Byte offset of <c>req_event</c>.</summary>
    static abstract int RequestEventOffset { get; }

    /// <summary>Byte offset of <c>rsp_prod</c>.</summary>
    static abstract int ResponseProducerOffset { get; }

    /// <summary>Byte offset of <c>rsp_event</c>.</summary>
    static abstract int ResponseEventOffset { get; }

    /// <summary>Byte offset of <c>ring[]</c>, the first slot: everything before it is the indices, a private area and padding.</summary>
    static abstract int RingOffset { get; }
}
