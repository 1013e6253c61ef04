using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Xen.Abi.Io;

namespace XenGen.Interop;

/// <summary>The control block behind the ring in the shared file; the same layout as <c>struct control</c> in ring_peer.c.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct Control
{
    /// <summary>Set to 1 by the front end once the shared ring is initialised.</summary>
    public uint Ready;
    /// <summary>Set to 1 by the back end once it is attached; the front end's clock starts then.</summary>
    public uint BackAttached;
    /// <summary>Notifications sent to the back end (the event channel stand-in).</summary>
    public ulong KicksToBack;
    /// <summary>Notifications sent to the front end.</summary>
    public ulong KicksToFront;
    /// <summary>The C peer's notify decisions.</summary>
    public ulong PeerNotifies;
    /// <summary>Payload mismatches the C peer saw.</summary>
    public ulong PeerErrors;
    /// <summary>Times the C peer waited for a notification.</summary>
    public ulong PeerWaits;
    /// <summary>Set when the C peer finished.</summary>
    public ulong PeerDone;
    /// <summary>The C peer's run time.</summary>
    public ulong PeerNanoseconds;
}

/// <summary>What one end did: 0 on success, 2 on a refused producer index, 3 on a timeout.</summary>
public readonly record struct PeerResult(int Code, ulong Notifies, ulong Waits, ulong Errors, long Elapsed);

/// <summary>
/// The C# side of the ring interop tests and benchmarks: blkif rings through the generated <see cref="BlkifFront"/> and
/// <see cref="BlkifBack"/>, written like ring_peer.c's ends so that both can be run against each other, and the same
/// seeded schedule as its trace mode. No allocation in the loops.
/// </summary>
public static unsafe class RingPeer
{
    private const int MaxSegments = (int)Blkif.BlkifMaxSegmentsPerRequest;

    /// <summary>Fills request number <paramref name="seq"/>: every field a function of it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void FillRequest(ref BlkifRequest r, ulong seq)
    {
        // The count is kept in a local: read back through the ref, it would be reloaded from shared memory each turn.
        int segments = (int)(seq % (MaxSegments + 1));
        r.Operation = (byte)(seq % 5);
        r.NrSegments = (byte)segments;
        r.Handle = (ushort)(seq * 3);
        r.Id = seq;
        r.SectorNumber = seq * 0x9E3779B97F4A7C15UL;
        // One ref walks the segments (no index scaled each turn); 7 - (i & 7) is written ~i & 7, as clang compiles it.
        ref var seg = ref Unsafe.As<BlkifRequest.SegArray, BlkifRequestSegment>(ref r.Seg);
        for (uint i = 0; i < (uint)segments; i++, seg = ref Unsafe.Add(ref seg, 1))
        {
            seg.Gref = (uint)seq + i;
            seg.FirstSect = (byte)i;
            seg.LastSect = (byte)(~i & 7);
        }
    }

    /// <summary>Whether <paramref name="r"/> is request number <paramref name="seq"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool RequestOk(in BlkifRequest r, ulong seq)
    {
        int segments = r.NrSegments;
        if (r.Id != seq || r.Operation != (byte)(seq % 5) || r.Handle != (ushort)(seq * 3)
            || segments != (byte)(seq % (MaxSegments + 1)) || r.SectorNumber != seq * 0x9E3779B97F4A7C15UL)
        {
            return false;
        }
        ref var seg = ref Unsafe.As<BlkifRequest.SegArray, BlkifRequestSegment>(ref Unsafe.AsRef(in r.Seg));
        for (uint i = 0; i < (uint)segments; i++, seg = ref Unsafe.Add(ref seg, 1))
        {
            if (seg.Gref != (uint)seq + i || seg.FirstSect != (byte)i || seg.LastSect != (byte)(~i & 7)) return false;
        }
        return true;
    }

    /// <summary>The response to <paramref name="req"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void FillResponse(ref BlkifResponse rsp, in BlkifRequest req)
    {
        rsp.Id = req.Id;
        rsp.Operation = req.Operation;
        rsp.Status = (short)((int)(req.Id % 3) - 1);
    }

    /// <summary>Whether <paramref name="rsp"/> answers request number <paramref name="seq"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool ResponseOk(in BlkifResponse rsp, ulong seq) =>
        rsp.Id == seq && rsp.Operation == (byte)(seq % 5) && rsp.Status == (short)((int)(seq % 3) - 1);

    /// <summary>
    /// The front end: initialises the shared ring with every index at <paramref name="start"/>, waits for the back end
    /// to attach (its elapsed time starts then), sends
    /// <paramref name="count"/> requests and takes their responses, notifying through <see cref="Control.KicksToBack"/>.
    /// </summary>
    public static PeerResult RunFront(BlkifSring* s, Control* c, long ringBytes, uint start, ulong count, TimeSpan timeout)
    {
        var clock = new PeerClock(timeout);
        CpuPinning.PinFromEnvironment(CpuPinning.FrontVariable);
        BlkifFront.Init(s, ringBytes);
        s->ReqProd = s->RspProd = start;
        s->ReqEvent = s->RspEvent = start + 1;
        var front = BlkifFront.Attach(s, ringBytes, start);
        Volatile.Write(ref c->Ready, 1);
        if (!WaitFlag(ref c->BackAttached, clock)) return new PeerResult(3, 0, 0, 0, clock.ElapsedTicks);
        clock = new PeerClock(timeout);
        try
        {
            return FrontLoop(front, c, count, clock);
        }
        catch (Xen.Rings.RingProtocolException)
        {
            return new PeerResult(2, 0, 0, 0, clock.ElapsedTicks);
        }
    }

    /// <summary>The front end's loop, apart from the exception handler so that its counters stay in registers.</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static PeerResult FrontLoop(BlkifFront front, Control* c, ulong count, PeerClock clock)
    {
        ulong sent = 0, received = 0, notifies = 0, waits = 0, errors = 0;
        while (received < count)
        {
            bool progressed = false;
            uint queued = 0;
            while (sent < count && !front.IsFull)
            {
                FillRequest(ref front.NextRequest(), sent++);
                front.CommitRequest();
                queued++;
            }
            if (queued != 0)
            {
                if (front.PushRequestsAndCheckNotify())
                {
                    notifies++;
                    Interlocked.Increment(ref c->KicksToBack);
                }
                progressed = true;
            }
            // The producer is read once per batch, as the C end's RING_HAS_UNCONSUMED_RESPONSES loop is once compiled.
            for (uint n = front.UnconsumedResponses(); n != 0 && front.TryTakeResponse(out var rsp); n--)
            {
                if (!ResponseOk(rsp, received)) errors++;
                received++;
                progressed = true;
            }
            if (!progressed)
            {
                ulong seen = Volatile.Read(ref c->KicksToFront);
                if (!front.FinalCheckForResponses())
                {
                    waits++;
                    if (!WaitKick(ref c->KicksToFront, seen, clock)) return new PeerResult(3, notifies, waits, errors, clock.ElapsedTicks);
                }
            }
        }
        return new PeerResult(0, notifies, waits, errors, clock.ElapsedTicks);
    }

    /// <summary>
    /// The back end: waits for the front end's ready flag, takes <paramref name="count"/> requests and answers each,
    /// notifying through <see cref="Control.KicksToFront"/>.
    /// </summary>
    public static PeerResult RunBack(BlkifSring* s, Control* c, long ringBytes, uint start, ulong count, TimeSpan timeout)
    {
        var clock = new PeerClock(timeout);
        CpuPinning.PinFromEnvironment(CpuPinning.BackVariable);
        if (!WaitFlag(ref c->Ready, clock)) return new PeerResult(3, 0, 0, 0, clock.ElapsedTicks);
        var back = BlkifBack.Attach(s, ringBytes, start);
        Volatile.Write(ref c->BackAttached, 1);
        try
        {
            return BackLoop(back, c, count, clock);
        }
        catch (Xen.Rings.RingProtocolException)
        {
            return new PeerResult(2, 0, 0, 0, clock.ElapsedTicks);
        }
    }

    /// <summary>The back end's loop, apart from the exception handler so that its counters stay in registers.</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static PeerResult BackLoop(BlkifBack back, Control* c, ulong count, PeerClock clock)
    {
        ulong processed = 0, notifies = 0, waits = 0, errors = 0;
        while (processed < count)
        {
            bool progressed = false;
            // The producer is read once per batch, as the C end's RING_HAS_UNCONSUMED_REQUESTS loop is once compiled:
            // the responses are pushed before the producer is looked at again.
            for (uint n = back.UnconsumedRequests(); n != 0 && back.TryTakeRequest(out var req); n--)
            {
                if (!RequestOk(req, processed)) errors++;
                FillResponse(ref back.NextResponse(), req);
                back.CommitResponse();
                processed++;
                progressed = true;
            }
            if (progressed)
            {
                if (back.PushResponsesAndCheckNotify())
                {
                    notifies++;
                    Interlocked.Increment(ref c->KicksToFront);
                }
            }
            else
            {
                ulong seen = Volatile.Read(ref c->KicksToBack);
                if (!back.FinalCheckForRequests())
                {
                    waits++;
                    if (!WaitKick(ref c->KicksToBack, seen, clock)) return new PeerResult(3, notifies, waits, errors, clock.ElapsedTicks);
                }
            }
        }
        return new PeerResult(0, notifies, waits, errors, clock.ElapsedTicks);
    }

    /// <summary>Waits for the other end to set a flag of the control block.</summary>
    private static bool WaitFlag(ref uint flag, PeerClock clock)
    {
        while (Volatile.Read(ref flag) == 0)
        {
            if (clock.Expired) return false;
            Thread.Yield();
        }
        return true;
    }

    /// <summary>Waits for the counter to move, like wait_kick in ring_peer.c: spins briefly, then yields.</summary>
    private static bool WaitKick(ref ulong counter, ulong seen, PeerClock clock)
    {
        for (int spins = 0; Volatile.Read(ref counter) == seen; spins++)
        {
            if (spins < SpinLimit)
            {
                System.Runtime.Intrinsics.X86.X86Base.Pause();
                continue;
            }
            if ((spins & 1023) == 0 && clock.Expired) return false;
            Thread.Yield();
        }
        return true;
    }

    private const int SpinLimit = 2000;

    /// <summary>
    /// Both ends in one thread on the seeded schedule of <c>ring_peer trace</c>; returns the same line that program prints.
    /// </summary>
    public static string Trace(ulong seed, ulong steps, uint start, int ringBytes)
    {
        var s = (BlkifSring*)NativeMemory.AlignedAlloc((nuint)ringBytes, 4096);
        try
        {
            new Span<byte>(s, ringBytes).Fill(0xA5);
            BlkifFront.Init(s, ringBytes);
            s->ReqProd = s->RspProd = start;
            s->ReqEvent = s->RspEvent = start + 1;
            var front = BlkifFront.Attach(s, ringBytes, start);
            var back = BlkifBack.Attach(s, ringBytes, start);
            ulong hash = 0xcbf29ce484222325UL, sent = 0, taken = 0, received = 0, errors = 0;
            ulong notifyReq = 0, notifyRsp = 0, workReq = 0, workRsp = 0;
            ulong state = seed == 0 ? 1 : seed;
            for (ulong step = 0; step < steps; step++)
            {
                ulong r = Next(ref state);
                uint k = (uint)((r >> 8) % 80), n = 0;
                bool flag;
                switch (r % 4)
                {
                    case 0:
                        while (n < k && !front.IsFull)
                        {
                            FillRequest(ref front.NextRequest(), sent++);
                            front.CommitRequest();
                            n++;
                        }
                        flag = front.PushRequestsAndCheckNotify();
                        notifyReq += flag ? 1UL : 0;
                        break;
                    case 1:
                        while (n < k && back.TryTakeRequest(out var req))
                        {
                            if (!RequestOk(req, taken++)) errors++;
                            FillResponse(ref back.NextResponse(), req);
                            back.CommitResponse();
                            n++;
                        }
                        flag = back.PushResponsesAndCheckNotify();
                        notifyRsp += flag ? 1UL : 0;
                        break;
                    case 2:
                        flag = back.FinalCheckForRequests();
                        workReq += flag ? 1UL : 0;
                        break;
                    default:
                        while (n < k && front.TryTakeResponse(out var rsp))
                        {
                            if (!ResponseOk(rsp, received++)) errors++;
                            n++;
                        }
                        flag = front.FinalCheckForResponses();
                        workRsp += flag ? 1UL : 0;
                        break;
                }
                hash = Mix(Mix(hash, n), flag ? 1UL : 0);
            }
            return $"notify_req={notifyReq} notify_rsp={notifyRsp} work_req={workReq} work_rsp={workRsp} received={received} errors={errors} hash={hash:x16}"
                + $" req_prod={s->ReqProd} req_event={s->ReqEvent} rsp_prod={s->RspProd} rsp_event={s->RspEvent} size={front.Size} memory={MemoryHash((byte*)s, ringBytes):x16}";
        }
        finally
        {
            NativeMemory.AlignedFree(s);
        }
    }

    /// <summary>
    /// The 9pfs flex ring's <c>out</c> direction written and read on the seeded schedule of <c>ring_peer flextrace</c>,
    /// through the generated <see cref="Xen9pfsFlexRing"/>; returns the same line that program prints.
    /// </summary>
    public static string FlexTrace(ulong seed, ulong steps, uint start, int order)
    {
        uint size = Xen9pfsFlexRing.RingSize(order);
        var intf = (Xen9pfsDataIntf*)NativeMemory.AllocZeroed((nuint)sizeof(Xen9pfsDataIntf));
        byte* data = (byte*)NativeMemory.Alloc(2 * (nuint)size);
        var tmp = new byte[2 * size];
        try
        {
            new Span<byte>(data, (int)(2 * size)).Fill(0x5A);
            intf->OutCons = intf->OutProd = start;
            var ring = Xen9pfsFlexRing.Out(intf, data, order);
            ulong written = 0, read = 0, errors = 0, hash = 0xcbf29ce484222325UL, state = seed == 0 ? 1 : seed;
            for (ulong step = 0; step < steps; step++)
            {
                ulong r = Next(ref state);
                int k = (int)((r >> 8) % (size + size / 2)), n;
                if (r % 2 == 0)
                {
                    for (int i = 0; i < k; i++) tmp[i] = StreamByte(written + (ulong)i);
                    n = ring.Write(tmp.AsSpan(0, k));
                    written += (ulong)n;
                }
                else
                {
                    n = ring.Read(tmp.AsSpan(0, k));
                    for (int i = 0; i < n; i++)
                    {
                        if (tmp[i] != StreamByte(read + (ulong)i)) errors++;
                        hash = Mix(hash, tmp[i]);
                    }
                    read += (ulong)n;
                }
                hash = Mix(hash, (ulong)n);
            }
            return $"written={written} read={read} errors={errors} hash={hash:x16} out_prod={intf->OutProd} out_cons={intf->OutCons} in_prod={intf->InProd} in_cons={intf->InCons} size={size}"
                + $" memory={MemoryHash(data, 2 * size):x16}";
        }
        finally
        {
            NativeMemory.Free(data);
            NativeMemory.Free(intf);
        }
    }

    /// <summary>The hash of a memory area, as <c>memory_hash</c> in ring_peer.c computes it.</summary>
    private static ulong MemoryHash(byte* p, long n)
    {
        ulong h = 0xcbf29ce484222325UL;
        for (long i = 0; i < n; i++) h = Mix(h, p[i]);
        return h;
    }

    private static byte StreamByte(ulong pos) => (byte)(pos * 131 + (pos >> 8));

    private static ulong Next(ref ulong state)
    {
        state ^= state >> 12;
        state ^= state << 25;
        state ^= state >> 27;
        return state * 0x2545F4914F6CDD1DUL;
    }

    private static ulong Mix(ulong h, ulong v) => (h ^ v) * 0x100000001B3UL;
}
