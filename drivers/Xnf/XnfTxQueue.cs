using System.Runtime.CompilerServices;
using Xen.Abi.Io;
using Xen.Drivers.Ethernet.Frames;
using Xen.Rings;
using Xen.Services;

namespace Xen.Drivers.Xnf;

/// <summary>
/// One queue's transmit side: the tx ring on a granted page and one read-only granted buffer page per request id, so
/// a grant shows the backend the frame's bytes and nothing else of ours. A frame takes one slot per page of data,
/// plus one for the GSO extra info; responses are copied once and checked (an id not in flight puts the interface
/// into its error state).
/// </summary>
internal sealed unsafe class XnfTxQueue : IDisposable
{
    private static readonly TimeSpan RoomWait = TimeSpan.FromSeconds(5);
    private readonly XnfInterface owner;
    private readonly GrantedPages ringPage;
    private readonly GrantedPages buffers;
    private readonly object gate = new();
    private readonly Stack<ushort> freeIds;
    private readonly bool[] inFlight;
    private NetifTxFront ring;
    private long frames, errors;
    private bool disposed;

    public XnfTxQueue(XnfInterface owner, IGrantService grants, ushort backend)
    {
        this.owner = owner;
        ringPage = grants.Grant(backend, 1);
        ring = NetifTxFront.Init((NetifTxSring*)ringPage.Address, GrantedPages.XenPageSize);
        try
        {
            buffers = grants.Grant(backend, (int)ring.Size, readOnly: true);
        }
        catch
        {
            ringPage.Dispose();
            throw;
        }
        freeIds = new Stack<ushort>(Enumerable.Range(0, (int)ring.Size).Reverse().Select(i => (ushort)i));
        inFlight = new bool[ring.Size];
    }

    public uint RingRef => ringPage.References[0];

    public uint Port { get; set; }

    public long Frames => Interlocked.Read(ref frames);

    public long Errors => Interlocked.Read(ref errors);

    /// <summary>The shared indices and ours, for a diagnostic line.</summary>
    public string DescribeRing()
    {
        lock (gate)
        {
            if (disposed) return "tx closed";
            var shared = (NetifTxSring*)ringPage.Address;
            return $"tx req_prod {shared->ReqProd} req_event {shared->ReqEvent} rsp_prod {shared->RspProd} rsp_event {shared->RspEvent} rsp_cons {ring.ResponseConsumer} port {Port}";
        }
    }

    /// <summary>Queues <paramref name="frame"/>; waits (bounded) for ring room; false when dropped.</summary>
    public bool Send(ReadOnlySpan<byte> frame, FrameOffload offload)
    {
        var dataSlots = (frame.Length + GrantedPages.XenPageSize - 1) / GrantedPages.XenPageSize;
        var extraSlots = offload.Gso != GsoKind.None ? 1 : 0;
        if (frame.Length == 0 || dataSlots > Netif.XenNetifNrSlotsMin || frame.Length > Netif.XenNetifMaxTxSize) return false;
        var deadline = DateTime.UtcNow + RoomWait;
        lock (gate)
        {
            while (true)
            {
                if (disposed || owner.IsFailed) return false;
                if (!TryReclaim()) return false;
                if (ring.FreeRequests >= dataSlots + extraSlots && freeIds.Count >= dataSlots) break;
                // Ask for an event on the next response, look once more, then sleep until the handler pulses.
                if (!TryFinalCheck(out var waiting)) return false;
                if (waiting) continue;
                if (DateTime.UtcNow > deadline) return false;
                Monitor.Wait(gate, 50);
            }
            Queue(frame, offload, dataSlots);
            if (ring.PushRequestsAndCheckNotify()) owner.Notify(Port);
        }
        Interlocked.Increment(ref frames);
        return true;
    }

    private void Queue(ReadOnlySpan<byte> frame, FrameOffload offload, int dataSlots)
    {
        for (var slot = 0; slot < dataSlots; slot++)
        {
            var id = freeIds.Pop();
            inFlight[id] = true;
            var chunk = frame.Slice(slot * GrantedPages.XenPageSize, Math.Min(GrantedPages.XenPageSize, frame.Length - slot * GrantedPages.XenPageSize));
            chunk.CopyTo(buffers.Page(id));
            ref var request = ref ring.NextRequest();
            request = default;
            request.Gref = buffers.References[id];
            request.Offset = 0;
            request.Id = id;
            // The first slot's size is the whole frame's; the others' their own.
            request.Size = (ushort)(slot == 0 ? frame.Length : chunk.Length);
            if (slot + 1 < dataSlots) request.Flags |= (ushort)Netif.NettxfMoreData;
            if (slot == 0)
            {
                if (offload.ChecksumBlank) request.Flags |= (ushort)(Netif.NettxfCsumBlank | Netif.NettxfDataValidated);
                else if (offload.DataValidated) request.Flags |= (ushort)Netif.NettxfDataValidated;
                if (offload.Gso != GsoKind.None) request.Flags |= (ushort)Netif.NettxfExtraInfo;
            }
            ring.CommitRequest();
            if (slot == 0 && offload.Gso != GsoKind.None)
            {
                ref var extra = ref Unsafe.As<NetifTxRequest, NetifExtraInfo>(ref ring.NextRequest());
                Unsafe.As<NetifExtraInfo, NetifTxRequest>(ref extra) = default;
                extra.Type = Netif.XenNetifExtraTypeGso;
                extra.U.Gso.Size = offload.GsoSize;
                extra.U.Gso.Type = offload.Gso == GsoKind.TcpV4 ? (byte)Netif.XenNetifGsoTypeTcpv4 : (byte)Netif.XenNetifGsoTypeTcpv6;
                ring.CommitRequest();
            }
        }
    }

    /// <summary>The tx event: reclaim what the backend finished and wake a waiting sender.</summary>
    public void OnEvent()
    {
        lock (gate)
        {
            if (disposed) return;
            TryReclaim();
            Monitor.PulseAll(gate);
        }
    }

    /// <summary>Takes every response (each copied once out of the ring); false when the backend broke the protocol.</summary>
    private bool TryReclaim()
    {
        try
        {
            while (ring.TryTakeResponse(out var response))
            {
                if (response.Status == Netif.NetifRspNull) continue; // the slot of an extra info
                if (response.Id >= inFlight.Length || !inFlight[response.Id])
                {
                    owner.Fail($"tx response for id {response.Id}, which is not in flight");
                    return false;
                }
                inFlight[response.Id] = false;
                freeIds.Push(response.Id);
                if (response.Status != Netif.NetifRspOkay) Interlocked.Increment(ref errors);
            }
            return true;
        }
        catch (RingProtocolException e)
        {
            owner.Fail("tx ring: " + e.Message);
            return false;
        }
    }

    private bool TryFinalCheck(out bool waiting)
    {
        try
        {
            waiting = ring.FinalCheckForResponses();
            return true;
        }
        catch (RingProtocolException e)
        {
            waiting = false;
            owner.Fail("tx ring: " + e.Message);
            return false;
        }
    }

    /// <summary>Wakes senders so they see the error state or the shutdown.</summary>
    public void WakeAll()
    {
        lock (gate) Monitor.PulseAll(gate);
    }

    public void Dispose()
    {
        WakeAll();
        lock (gate)
        {
            disposed = true;
            buffers.Dispose();
            ringPage.Dispose();
        }
    }
}
