namespace Xen.Rings;

/// <summary>
/// The back end of a request/response ring (<c>io/ring.h</c>): it consumes requests and produces responses.
/// The generated <c>&lt;Ring&gt;Back</c> value types wrap it with the ring's request and response types. Not thread-safe: one
/// thread consumes and produces on a back ring at a time, as with the C macros.
/// </summary>
/// <typeparam name="TEntry">The ring's slot type (<c>union *_sring_entry</c>): slots are <c>sizeof(TEntry)</c> apart.</typeparam>
/// <typeparam name="TLayout">Where the shared ring keeps its indices and first slot: the generated <c>&lt;Ring&gt;RingLayout</c>.</typeparam>
public unsafe struct BackRingCore<TEntry, TLayout> where TEntry : unmanaged where TLayout : struct, ISharedRingLayout
{
    private readonly RingSlots<TEntry> _ring;
    private uint _rspProdPvt;
    private uint _rspProdPushed;
    private uint _reqCons;
    private uint _reqProdSeen;

    /// <summary>
    /// Attaches to a shared ring of <paramref name="ringBytes"/> bytes whose slots start at
    /// <c>TLayout.RingOffset</c> and are one <typeparamref name="TEntry"/> apart, with both private indices at <paramref name="startIndex"/>
    /// (<c>BACK_RING_ATTACH</c>; <c>BACK_RING_INIT</c> when it is 0). The shared <c>rsp_prod</c> is
    /// read once here, as the producer this side last published.
    /// </summary>
    public BackRingCore(byte* sring, long ringBytes, uint startIndex = 0)
    {
        _ring = new RingSlots<TEntry>(sring, TLayout.RingOffset, ringBytes);
        _rspProdPushed = SharedRing.ReadIndex(sring, TLayout.ResponseProducerOffset);
        _rspProdPvt = startIndex;
        _reqCons = startIndex;
        _reqProdSeen = startIndex;
    }

    /// <summary>The shared ring (<c>sring</c>).</summary>
    public readonly byte* Shared => _ring.Shared;

    /// <summary>The number of entries (<c>RING_SIZE</c>): a power of two.</summary>
    public readonly uint Size => _ring.Size;

    /// <summary>The private response producer (<c>rsp_prod_pvt</c>).</summary>
    public readonly uint ResponseProducerPrivate => _rspProdPvt;

    /// <summary>The request consumer (<c>req_cons</c>).</summary>
    public readonly uint RequestConsumer => _reqCons;

    /// <summary>The slot of response index <paramref name="index"/> in shared memory (<c>RING_GET_RESPONSE</c>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly ref T ResponseAt<T>(uint index) where T : unmanaged => ref _ring.At<T>(index);

    /// <summary>
    /// Requests published but not yet taken, limited by the slots still owed a response
    /// (<c>XEN_RING_NR_UNCONSUMED_REQUESTS</c>), after checking that the front end's producer does not claim more
    /// than the ring holds (<c>RING_REQUEST_PROD_OVERFLOW</c>).
    /// </summary>
    /// <exception cref="RingProtocolException">The front end's request producer is beyond what the ring can hold.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public uint UnconsumedRequests()
    {
        uint prod = SharedRing.ReadIndex(_ring.Shared, TLayout.RequestProducerOffset);
        if (unchecked(prod - _rspProdPvt) > _ring.Size) RingProtocolException.Throw("request producer", prod, _rspProdPvt, _ring.Size);
        XenBarriers.Rmb();
        _reqProdSeen = prod;
        return Available(prod);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private readonly uint Available(uint prod)
    {
        uint requests = unchecked(prod - _reqCons);
        uint room = _ring.Size - unchecked(_reqCons - _rspProdPvt);
        return requests < room ? requests : room;
    }

    /// <summary>
    /// Copies the next request out of shared memory once (<c>RING_COPY_REQUEST</c>) and advances the consumer; false
    /// when none is published or every slot still owes a response (<c>RING_REQUEST_CONS_OVERFLOW</c>).
    /// </summary>
    /// <exception cref="RingProtocolException">The front end's request producer is beyond what the ring can hold.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryTakeRequest<T>(out T request) where T : unmanaged
    {
        // Nothing to take from what was seen (all taken, or every slot owes a response): look at the producer again.
        if ((_reqCons == _reqProdSeen || unchecked(_reqCons - _rspProdPvt) >= _ring.Size) && UnconsumedRequests() == 0)
        {
            request = default;
            return false;
        }
        _ring.Prefetch<T>(_reqCons, unchecked(_reqProdSeen - _reqCons), RingSlots<TEntry>.PrefetchDistance);
        _ring.CopyOut(_reqCons, out request);
        _reqCons++;
        return true;
    }

    /// <summary>
    /// Writes <paramref name="response"/> into the slot of the oldest unanswered request and advances the private
    /// producer; false when every taken request already has its response.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryQueueResponse<T>(in T response) where T : unmanaged
    {
        if (_rspProdPvt == _reqCons) return false;
        ResponseAt<T>(_rspProdPvt) = response;
        _rspProdPvt++;
        return true;
    }

    /// <summary>
    /// The slot of the oldest unanswered request, to fill its response in place
    /// (<c>RING_GET_RESPONSE(r, r->rsp_prod_pvt)</c>); <see cref="CommitResponse"/> then queues it.
    /// </summary>
    /// <exception cref="InvalidOperationException">Every taken request already has its response.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly ref T NextResponse<T>() where T : unmanaged
    {
        if (_rspProdPvt == _reqCons) ThrowNothingOwed();
        return ref ResponseAt<T>(_rspProdPvt);
    }

    /// <summary>Queues the response filled through <see cref="NextResponse{T}"/> (<c>rsp_prod_pvt++</c>).</summary>
    /// <exception cref="InvalidOperationException">Every taken request already has its response.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void CommitResponse()
    {
        if (_rspProdPvt == _reqCons) ThrowNothingOwed();
        _rspProdPvt++;
    }

    private static void ThrowNothingOwed() => throw new InvalidOperationException("no taken request is waiting for a response");

    /// <summary>Publishes the queued responses (<c>RING_PUSH_RESPONSES</c>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void PushResponses() => SharedRing.Push(_ring.Shared, TLayout.ResponseProducerOffset, _rspProdPvt, ref _rspProdPushed);

    /// <summary>
    /// Publishes the queued responses and tells whether the front end asked to be notified of them
    /// (<c>RING_PUSH_RESPONSES_AND_CHECK_NOTIFY</c>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool PushResponsesAndCheckNotify()
        => SharedRing.PushAndCheckNotify(_ring.Shared, TLayout.ResponseProducerOffset, TLayout.ResponseEventOffset, _rspProdPvt, ref _rspProdPushed);

    /// <summary>
    /// Tells whether requests are waiting; if none are, first asks the front end for an event on the next request
    /// by setting <c>req_event</c>, then looks again (<c>RING_FINAL_CHECK_FOR_REQUESTS</c>).
    /// </summary>
    /// <exception cref="RingProtocolException">The front end's request producer is beyond what the ring can hold.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool FinalCheckForRequests()
    {
        if (UnconsumedRequests() != 0) return true;
        SharedRing.WriteIndex(_ring.Shared, TLayout.RequestEventOffset, unchecked(_reqCons + 1));
        XenBarriers.Mb();
        return UnconsumedRequests() != 0;
    }
}
