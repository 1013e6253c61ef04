namespace Xen.Rings;

/// <summary>
/// The front end of a request/response ring (<c>io/ring.h</c>): it produces requests and consumes responses.
/// The generated <c>&lt;Ring&gt;Front</c> value types wrap it with the ring's request and response types. Not thread-safe: one
/// thread produces and consumes on a front ring at a time, as with the C macros.
/// </summary>
/// <typeparam name="TEntry">The ring's slot type (<c>union *_sring_entry</c>): slots are <c>sizeof(TEntry)</c> apart.</typeparam>
/// <typeparam name="TLayout">Where the shared ring keeps its indices and first slot: the generated <c>&lt;Ring&gt;RingLayout</c>.</typeparam>
public unsafe struct FrontRingCore<TEntry, TLayout> where TEntry : unmanaged where TLayout : struct, ISharedRingLayout
{
    private readonly RingSlots<TEntry> _ring;
    private uint _reqProdPvt;
    private uint _reqProdPushed;
    private uint _rspCons;
    private uint _rspProdSeen;

    /// <summary>
    /// Attaches to a shared ring of <paramref name="ringBytes"/> bytes whose slots start at
    /// <c>TLayout.RingOffset</c> and are one <typeparamref name="TEntry"/> apart, with both private indices at <paramref name="startIndex"/>
    /// (<c>FRONT_RING_ATTACH</c>; <c>FRONT_RING_INIT</c> when it is 0). The shared <c>req_prod</c> is
    /// read once here, as the producer this side last published.
    /// </summary>
    public FrontRingCore(byte* sring, long ringBytes, uint startIndex = 0)
    {
        _ring = new RingSlots<TEntry>(sring, TLayout.RingOffset, ringBytes);
        _reqProdPushed = SharedRing.ReadIndex(sring, TLayout.RequestProducerOffset);
        _reqProdPvt = startIndex;
        _rspCons = startIndex;
        _rspProdSeen = startIndex;
    }

    /// <summary>The shared ring (<c>sring</c>).</summary>
    public readonly byte* Shared => _ring.Shared;

    /// <summary>The number of entries (<c>RING_SIZE</c>): a power of two.</summary>
    public readonly uint Size => _ring.Size;

    /// <summary>The private request producer (<c>req_prod_pvt</c>): requests queued, pushed or not.</summary>
    public readonly uint RequestProducerPrivate => _reqProdPvt;

    /// <summary>The response consumer (<c>rsp_cons</c>).</summary>
    public readonly uint ResponseConsumer => _rspCons;

    /// <summary>Slots free for new requests (<c>RING_FREE_REQUESTS</c>).</summary>
    public readonly uint FreeRequests => _ring.Size - unchecked(_reqProdPvt - _rspCons);

    /// <summary>No slot is free for a request (<c>RING_FULL</c>).</summary>
    public readonly bool IsFull => FreeRequests == 0;

    /// <summary>The slot of request index <paramref name="index"/> in shared memory (<c>RING_GET_REQUEST</c>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly ref T RequestAt<T>(uint index) where T : unmanaged => ref _ring.At<T>(index);

    /// <summary>Writes <paramref name="request"/> into the next free slot and advances the private producer; false when the ring is full.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryQueueRequest<T>(in T request) where T : unmanaged
    {
        if (unchecked(_reqProdPvt - _rspCons) >= _ring.Size) return false;
        RequestAt<T>(_reqProdPvt) = request;
        _reqProdPvt++;
        return true;
    }

    /// <summary>
    /// The free slot at the private producer, to fill in place (<c>RING_GET_REQUEST(r, r->req_prod_pvt)</c>);
    /// <see cref="CommitRequest"/> then queues it.
    /// </summary>
    /// <exception cref="InvalidOperationException">The ring is full.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly ref T NextRequest<T>() where T : unmanaged
    {
        if (unchecked(_reqProdPvt - _rspCons) >= _ring.Size) ThrowFull();
        return ref RequestAt<T>(_reqProdPvt);
    }

    /// <summary>Queues the slot filled through <see cref="NextRequest{T}"/> (<c>req_prod_pvt++</c>).</summary>
    /// <exception cref="InvalidOperationException">The ring is full.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void CommitRequest()
    {
        if (unchecked(_reqProdPvt - _rspCons) >= _ring.Size) ThrowFull();
        _reqProdPvt++;
    }

    private static void ThrowFull() => throw new InvalidOperationException("the ring has no free request slot");

    /// <summary>Publishes the queued requests (<c>RING_PUSH_REQUESTS</c>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void PushRequests() => SharedRing.Push(_ring.Shared, TLayout.RequestProducerOffset, _reqProdPvt, ref _reqProdPushed);

    /// <summary>
    /// Publishes the queued requests and tells whether the back end asked to be notified of them
    /// (<c>RING_PUSH_REQUESTS_AND_CHECK_NOTIFY</c>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool PushRequestsAndCheckNotify()
        => SharedRing.PushAndCheckNotify(_ring.Shared, TLayout.RequestProducerOffset, TLayout.RequestEventOffset, _reqProdPvt, ref _reqProdPushed);

    /// <summary>
    /// Responses published but not yet taken (<c>XEN_RING_NR_UNCONSUMED_RESPONSES</c>), after checking that the back
    /// end's producer does not claim more than the ring holds (<c>RING_RESPONSE_PROD_OVERFLOW</c>).
    /// </summary>
    /// <exception cref="RingProtocolException">The back end's response producer is beyond what the ring can hold.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public uint UnconsumedResponses()
    {
        uint prod = SharedRing.ReadIndex(_ring.Shared, TLayout.ResponseProducerOffset);
        if (unchecked(prod - _rspCons) > _ring.Size) RingProtocolException.Throw("response producer", prod, _rspCons, _ring.Size);
        XenBarriers.Rmb();
        _rspProdSeen = prod;
        return unchecked(prod - _rspCons);
    }

    /// <summary>
    /// Copies the next response out of shared memory once (<c>RING_COPY_RESPONSE</c>) and advances the consumer;
    /// false when none is published.
    /// </summary>
    /// <exception cref="RingProtocolException">The back end's response producer is beyond what the ring can hold.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryTakeResponse<T>(out T response) where T : unmanaged
    {
        if (_rspCons == _rspProdSeen && UnconsumedResponses() == 0)
        {
            response = default;
            return false;
        }
        _ring.Prefetch<T>(_rspCons, unchecked(_rspProdSeen - _rspCons), RingSlots<TEntry>.PrefetchDistance);
        _ring.CopyOut(_rspCons, out response);
        _rspCons++;
        return true;
    }

    /// <summary>
    /// Tells whether responses are waiting; if none are, first asks the back end for an event on the next response
    /// by setting <c>rsp_event</c>, then looks again (<c>RING_FINAL_CHECK_FOR_RESPONSES</c>).
    /// </summary>
    /// <exception cref="RingProtocolException">The back end's response producer is beyond what the ring can hold.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool FinalCheckForResponses()
    {
        if (UnconsumedResponses() != 0) return true;
        SharedRing.WriteIndex(_ring.Shared, TLayout.ResponseEventOffset, unchecked(_rspCons + 1));
        XenBarriers.Mb();
        return UnconsumedResponses() != 0;
    }
}
