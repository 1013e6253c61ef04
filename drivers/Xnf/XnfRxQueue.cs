using System.Runtime.CompilerServices;
using Xen.Abi.Io;
using Xen.Drivers.Ethernet.Frames;
using Xen.Rings;
using Xen.Services;

namespace Xen.Drivers.Xnf;

/// <summary>
/// One queue's receive side (rx copy: the backend copies into our pages): the rx ring on a granted page, one granted
/// buffer page per ring slot, every slot posted. A worker thread, woken by the rx event, takes responses (each
/// copied once), checks each against the slot it answers (id, offset and length inside the page, no more slots than
/// a frame may have), copies the data out of the page into the frame being assembled, reposts the slot and hands the
/// frame up. Any violation puts the interface into its error state; nothing is read outside the ring and the pages.
/// </summary>
internal sealed unsafe class XnfRxQueue : IDisposable
{
    /// <summary>A frame's slots: the data (up to the minimum every backend must take) and its extra info.</summary>
    private const int MaxSlotsPerFrame = Netif.XenNetifNrSlotsMin + 1;
    private readonly XnfInterface owner;
    private readonly GrantedPages ringPage;
    private readonly GrantedPages buffers;
    private readonly SemaphoreSlim signal = new(0, int.MaxValue);
    private readonly byte[] frame = new byte[Netif.XenNetifMaxTxSize + GrantedPages.XenPageSize];
    private readonly Thread worker;
    private NetifRxFront ring;
    private volatile bool stopping;
    private int released;
    private long frames, dropped;

    public XnfRxQueue(XnfInterface owner, IGrantService grants, ushort backend, string name)
    {
        this.owner = owner;
        ringPage = grants.Grant(backend, 1);
        ring = NetifRxFront.Init((NetifRxSring*)ringPage.Address, GrantedPages.XenPageSize);
        try
        {
            buffers = grants.Grant(backend, (int)ring.Size);
        }
        catch
        {
            ringPage.Dispose();
            throw;
        }
        worker = new Thread(Run) { IsBackground = true, Name = name + " rx" };
    }

    public uint RingRef => ringPage.References[0];

    public uint Port { get; set; }

    public long Frames => Interlocked.Read(ref frames);

    public long Dropped => Interlocked.Read(ref dropped);

    /// <summary>The shared indices and ours, for a diagnostic line (read without the worker's order: a snapshot).</summary>
    public string DescribeRing()
    {
        if (stopping || Volatile.Read(ref released) != 0) return "rx closed";
        var shared = (NetifRxSring*)ringPage.Address;
        return $"rx req_prod {shared->ReqProd} req_event {shared->ReqEvent} rsp_prod {shared->RspProd} rsp_event {shared->RspEvent} rsp_cons {ring.ResponseConsumer} port {Port}";
    }

    /// <summary>Posts every slot and starts the worker.</summary>
    public void Start()
    {
        while (!ring.IsFull) Post();
        if (ring.PushRequestsAndCheckNotify()) owner.Notify(Port);
        worker.Start();
    }

    /// <summary>The rx event (interrupt context): wake the worker.</summary>
    public void OnEvent() => signal.Release();

    private void Post()
    {
        var slot = (ushort)(ring.RequestProducerPrivate & (ring.Size - 1));
        ref var request = ref ring.NextRequest();
        request = default;
        request.Id = slot;
        request.Gref = buffers.References[slot];
        ring.CommitRequest();
    }

    private void Run()
    {
        try
        {
            while (!stopping && !owner.IsFailed)
            {
                signal.Wait(100);
                if (!stopping) Drain();
            }
        }
        catch (RingProtocolException e)
        {
            owner.Fail("rx ring: " + e.Message);
        }
        finally
        {
            // Dispose gave up waiting for us (a frame handler that blocked): the pages are ours to end now.
            if (stopping) ReleasePages();
        }
    }

    private void Drain()
    {
        var length = 0;
        var slots = 0;
        var expectExtras = false;
        var frameDropped = false;
        var offload = default(FrameOffload);
        var inFrame = false;
        var moreData = false;
        while (!stopping && !owner.IsFailed)
        {
            if (!ring.TryTakeResponse(out var response))
            {
                if (inFrame)
                {
                    // The rest of the frame is not published yet: hand back the slots taken so far, then wait for it.
                    if (ring.PushRequestsAndCheckNotify()) owner.Notify(Port);
                    if (ring.FinalCheckForResponses()) continue;
                    signal.Wait(100);
                    continue;
                }
                if (ring.FinalCheckForResponses()) continue;
                return;
            }
            var slot = (ushort)((ring.ResponseConsumer - 1) & (ring.Size - 1));
            Post(); // the response is copied and the page's bytes are taken below, before the backend can see the slot again
            slots++;
            if (slots > MaxSlotsPerFrame)
            {
                owner.Fail($"rx frame over more than {MaxSlotsPerFrame} slots");
                return;
            }
            if (expectExtras)
            {
                var extra = Unsafe.As<NetifRxResponse, NetifExtraInfo>(ref response);
                if (extra.Type == Netif.XenNetifExtraTypeGso)
                {
                    var gso = extra.U.Gso.Type switch
                    {
                        Netif.XenNetifGsoTypeTcpv4 => GsoKind.TcpV4,
                        Netif.XenNetifGsoTypeTcpv6 => GsoKind.TcpV6,
                        _ => (GsoKind?)null,
                    };
                    if (gso is null || extra.U.Gso.Size == 0) frameDropped = true;
                    else offload = offload with { Gso = gso.Value, GsoSize = extra.U.Gso.Size };
                }
                expectExtras = (extra.Flags & Netif.XenNetifExtraFlagMore) != 0;
            }
            else
            {
                if (response.Id != slot)
                {
                    owner.Fail($"rx response id {response.Id} in slot {slot}");
                    return;
                }
                var first = !inFrame;
                inFrame = true;
                if (response.Status < 0)
                {
                    frameDropped = true;
                }
                else
                {
                    var size = response.Status;
                    if (response.Offset + size > GrantedPages.XenPageSize)
                    {
                        owner.Fail($"rx response of {size} bytes at offset {response.Offset}, beyond its page");
                        return;
                    }
                    if (length + size > frame.Length) frameDropped = true;
                    else buffers.Page(slot).Slice(response.Offset, size).CopyTo(frame.AsSpan(length));
                    length += size;
                }
                if (first)
                {
                    var blank = (response.Flags & Netif.NetrxfCsumBlank) != 0;
                    offload = new FrameOffload(blank, blank || (response.Flags & Netif.NetrxfDataValidated) != 0, GsoKind.None, 0);
                    expectExtras = (response.Flags & Netif.NetrxfExtraInfo) != 0;
                }
                moreData = (response.Flags & Netif.NetrxfMoreData) != 0;
            }
            if (moreData || expectExtras) continue;
            Deliver(length, offload, frameDropped);
            length = 0;
            slots = 0;
            frameDropped = false;
            inFrame = false;
        }
    }

    private void Deliver(int length, FrameOffload offload, bool frameDropped)
    {
        if (ring.PushRequestsAndCheckNotify()) owner.Notify(Port);
        if (frameDropped || length == 0)
        {
            Interlocked.Increment(ref dropped);
            return;
        }
        Interlocked.Increment(ref frames);
        owner.Deliver(frame.AsSpan(0, length), offload);
    }

    /// <summary>
    /// Stops the worker and ends the ring's and buffers' grants. The pages are released by whichever of this and the
    /// worker finishes last, so the worker never reads a page after it went back (Dispose from a frame handler, or a
    /// handler still blocked when the wait ends).
    /// </summary>
    public void Dispose()
    {
        stopping = true;
        signal.Release();
        if (worker == Thread.CurrentThread || worker.IsAlive && !worker.Join(TimeSpan.FromSeconds(5))) return;
        ReleasePages();
    }

    private void ReleasePages()
    {
        if (Interlocked.Exchange(ref released, 1) != 0) return;
        buffers.Dispose();
        ringPage.Dispose();
    }
}
