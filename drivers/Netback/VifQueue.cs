using System.Runtime.CompilerServices;
using Xen.Abi.Io;
using Xen.Drivers.Ethernet.Frames;
using Xen.Rings;
using Xen.Services;

namespace Xen.Drivers.Netback;

/// <summary>
/// One queue of a vif: the frontend's tx and rx rings mapped, its event channel(s) bound. A tx worker takes the
/// frontend's frames (each request copied once; sizes, offsets and slot counts checked) and copies their data out of
/// the frontend's grants with <c>GNTTABOP_copy</c>; <see cref="Send"/> copies a frame into the frontend's posted rx
/// buffers. A frontend that breaks the protocol stops the vif (Linux's xenvif_fatal_tx_err), never us.
/// </summary>
internal sealed unsafe class VifQueue : IDisposable
{
    private static readonly TimeSpan SlotWait = TimeSpan.FromSeconds(1);
    private const int StormNotifications = 20000;
    private readonly Vif owner;
    private readonly XenDomainServices services;
    private readonly IForeignMemoryService foreign;
    private readonly ushort domain;
    private readonly ForeignPages txPage;
    private readonly ForeignPages rxPage;
    private readonly SemaphoreSlim txSignal = new(0, int.MaxValue);
    private readonly SemaphoreSlim rxSignal = new(0, int.MaxValue);
    private readonly object rxGate = new();
    private readonly byte[] frame = new byte[Netif.XenNetifMaxTxSize + GrantedPages.XenPageSize];
    private readonly NetifTxRequest[] slots = new NetifTxRequest[Netif.XenNetifNrSlotsMin];
    private readonly Thread txWorker;
    private readonly HostileMode hostile;
    private NetifTxBack tx;
    private NetifRxBack rx;
    private uint txPort, rxPort;
    private readonly bool split;
    private volatile bool stopping;
    private long fromGuest, toGuest;
    private int released;

    public VifQueue(Vif owner, XenDomainServices services, ushort domain, QueueKeys keys, HostileMode hostile)
    {
        this.owner = owner;
        this.services = services;
        this.domain = domain;
        this.hostile = hostile;
        foreign = services.ForeignMemory ?? throw new InvalidOperationException("this domain may not map or copy other domains' grants");
        split = keys.Split;
        txPage = foreign.Map(domain, [keys.TxRingRef], readOnly: false);
        try
        {
            rxPage = foreign.Map(domain, [keys.RxRingRef], readOnly: false);
            tx = NetifTxBack.Attach((NetifTxSring*)txPage.Address, GrantedPages.XenPageSize);
            rx = NetifRxBack.Attach((NetifRxSring*)rxPage.Address, GrantedPages.XenPageSize);
            if (split)
            {
                txPort = services.EventChannels.BindInterdomain(domain, keys.TxPort, _ => txSignal.Release());
                rxPort = services.EventChannels.BindInterdomain(domain, keys.RxPort, _ => rxSignal.Release());
            }
            else
            {
                txPort = rxPort = services.EventChannels.BindInterdomain(domain, keys.TxPort, _ =>
                {
                    txSignal.Release();
                    rxSignal.Release();
                });
            }
        }
        catch
        {
            ClosePorts();
            rxPage?.Dispose();
            txPage.Dispose();
            throw;
        }
        txWorker = new Thread(RunTx) { IsBackground = true, Name = $"{owner.Name} tx" };
        txWorker.Start();
        if (hostile == HostileMode.EventStorm) new Thread(Storm) { IsBackground = true, Name = $"{owner.Name} storm" }.Start();
    }

    /// <summary>Frames this queue took from the guest and frames it gave the guest.</summary>
    public (long FromGuest, long ToGuest) Frames => (Interlocked.Read(ref fromGuest), Interlocked.Read(ref toGuest));

    /// <summary>Whether tx and rx have an event channel each.</summary>
    public bool Split => split;

    private void Storm()
    {
        for (var i = 0; i < StormNotifications && !stopping; i++)
        {
            Notify(txPort);
            if (split) Notify(rxPort);
        }
        services.Log($"{owner.Name}: hostile: {StormNotifications} notifications sent on each port");
    }

    private void RunTx()
    {
        try
        {
            while (!stopping)
            {
                txSignal.Wait(100);
                DrainTx();
            }
        }
        catch (RingProtocolException e)
        {
            owner.Fail("tx ring: " + e.Message);
        }
        catch (GrantRefusedException e)
        {
            owner.Fail(e.Message);
        }
        finally
        {
            // Dispose gave up waiting for us (a frame handler that blocked): unmapping is ours to do now.
            if (stopping) Release();
        }
    }

    private void DrainTx()
    {
        while (!stopping && !owner.IsFailed)
        {
            if (!tx.TryTakeRequest(out var first))
            {
                if (tx.FinalCheckForRequests()) continue;
                return;
            }
            if (!TakeFrame(first, out var count, out var extras, out var offload)) return;
            var length = CopyFrame(count, out var status);
            Respond(count, extras, status);
            if (status != Netif.NetifRspOkay) continue;
            Interlocked.Increment(ref fromGuest);
            owner.Deliver(frame.AsSpan(0, length), offload);
        }
    }

    /// <summary>The rest of a frame's requests after <paramref name="first"/>: its extra info slots, then its data slots.</summary>
    private bool TakeFrame(in NetifTxRequest first, out int count, out int extras, out FrameOffload offload)
    {
        slots[0] = first;
        count = 1;
        extras = 0;
        var blank = (first.Flags & Netif.NettxfCsumBlank) != 0;
        offload = new FrameOffload(blank, blank || (first.Flags & Netif.NettxfDataValidated) != 0, GsoKind.None, 0);
        var moreExtras = (first.Flags & Netif.NettxfExtraInfo) != 0;
        while (moreExtras)
        {
            if (!TakeWaiting(out var request)) return false;
            if (++extras >= Netif.XenNetifExtraTypeMax) return Fatal($"more than {Netif.XenNetifExtraTypeMax - 1} extra info slots");
            var extra = Unsafe.As<NetifTxRequest, NetifExtraInfo>(ref request);
            if (extra.Type == Netif.XenNetifExtraTypeGso)
            {
                var kind = extra.U.Gso.Type switch
                {
                    Netif.XenNetifGsoTypeTcpv4 => GsoKind.TcpV4,
                    Netif.XenNetifGsoTypeTcpv6 => GsoKind.TcpV6,
                    _ => GsoKind.None,
                };
                if (kind == GsoKind.None || extra.U.Gso.Size == 0) return Fatal($"GSO type {extra.U.Gso.Type} size {extra.U.Gso.Size}");
                offload = offload with { Gso = kind, GsoSize = extra.U.Gso.Size };
            }
            moreExtras = (extra.Flags & Netif.XenNetifExtraFlagMore) != 0;
        }
        var more = (first.Flags & Netif.NettxfMoreData) != 0;
        while (more)
        {
            if (count == slots.Length) return Fatal($"a frame over more than {slots.Length} slots");
            if (!TakeWaiting(out var request)) return false;
            slots[count++] = request;
            more = (request.Flags & Netif.NettxfMoreData) != 0;
        }
        return true;
    }

    /// <summary>Copies the frame's data out of the frontend's grants; a bad size or offset, or a refused grant, fails the frame.</summary>
    private int CopyFrame(int count, out short status)
    {
        status = Netif.NetifRspOkay;
        int rest = 0;
        for (var i = 1; i < count; i++) rest += slots[i].Size;
        var firstLength = slots[0].Size - rest;
        if (firstLength <= 0 && count > 1 || slots[0].Size > Netif.XenNetifMaxTxSize)
        {
            status = Netif.NetifRspError;
            return 0;
        }
        var position = 0;
        for (var i = 0; i < count; i++)
        {
            var length = i == 0 ? firstLength : slots[i].Size;
            if (slots[i].Offset + length > GrantedPages.XenPageSize)
            {
                status = Netif.NetifRspError;
                return 0;
            }
            try
            {
                foreign.CopyFrom(domain, slots[i].Gref, slots[i].Offset, frame.AsSpan(position, length));
            }
            catch (GrantRefusedException e)
            {
                services.Log($"{owner.Name}: {e.Message}");
                status = Netif.NetifRspError;
                return 0;
            }
            if (hostile == HostileMode.GrantAbuse) TryWriteReadOnly(slots[i].Gref);
            position += length;
        }
        return position;
    }

    private void TryWriteReadOnly(uint gref)
    {
        try
        {
            foreign.CopyTo(domain, gref, 0, frame.AsSpan(0, 16));
            services.Log($"{owner.Name}: hostile: wrote into tx grant {gref}");
        }
        catch (GrantRefusedException)
        {
            // What Xen must do: the frontend granted its tx buffers read-only.
        }
    }

    private void Respond(int count, int extras, short status)
    {
        QueueTxResponse(slots[0].Id, status);
        for (var i = 0; i < extras; i++) QueueTxResponse(0, Netif.NetifRspNull);
        for (var i = 1; i < count; i++) QueueTxResponse(slots[i].Id, status);
        if (hostile == HostileMode.ProducerOverflow) Volatile.Write(ref tx.Shared->RspProd, tx.ResponseProducerPrivate + tx.Size + 1);
        else if (tx.PushResponsesAndCheckNotify()) Notify(txPort);
        if (hostile == HostileMode.ProducerOverflow) Notify(txPort);
    }

    private void QueueTxResponse(ushort id, short status)
    {
        var response = new NetifTxResponse { Id = hostile == HostileMode.LyingIds ? (ushort)(id ^ 0x8000) : id, Status = status };
        tx.TryQueueResponse(response);
    }

    private bool TakeWaiting(out NetifTxRequest request)
    {
        var deadline = DateTime.UtcNow + SlotWait;
        while (!stopping)
        {
            if (tx.TryTakeRequest(out request)) return true;
            if (tx.FinalCheckForRequests()) continue;
            if (DateTime.UtcNow > deadline) return Fatal("a frame's further slots never came");
            txSignal.Wait(10);
        }
        request = default;
        return false;
    }

    private bool Fatal(string reason)
    {
        owner.Fail(reason);
        return false;
    }

    /// <summary>Copies <paramref name="data"/> into the frontend's posted rx buffers; waits (bounded) for enough of them.</summary>
    public bool Send(ReadOnlySpan<byte> data, FrameOffload offload)
    {
        var dataSlots = (data.Length + GrantedPages.XenPageSize - 1) / GrantedPages.XenPageSize;
        var needed = dataSlots + (offload.Gso != GsoKind.None ? 1 : 0);
        lock (rxGate)
        {
            try
            {
                if (!WaitForRxRequests(needed)) return false;
                for (var slot = 0; slot < dataSlots; slot++)
                {
                    rx.TryTakeRequest(out var request);
                    var chunk = data.Slice(slot * GrantedPages.XenPageSize, Math.Min(GrantedPages.XenPageSize, data.Length - slot * GrantedPages.XenPageSize));
                    var response = new NetifRxResponse { Id = request.Id, Offset = 0, Status = (short)chunk.Length };
                    try
                    {
                        foreign.CopyTo(domain, request.Gref, 0, chunk);
                    }
                    catch (GrantRefusedException e)
                    {
                        services.Log($"{owner.Name}: {e.Message}");
                        response.Status = Netif.NetifRspError;
                    }
                    if (slot + 1 < dataSlots) response.Flags |= (ushort)Netif.NetrxfMoreData;
                    if (slot == 0)
                    {
                        if (offload.ChecksumBlank) response.Flags |= (ushort)(Netif.NetrxfCsumBlank | Netif.NetrxfDataValidated);
                        else if (offload.DataValidated) response.Flags |= (ushort)Netif.NetrxfDataValidated;
                        if (offload.Gso != GsoKind.None) response.Flags |= (ushort)Netif.NetrxfExtraInfo;
                    }
                    Lie(ref response);
                    rx.TryQueueResponse(response);
                    if (slot == 0 && offload.Gso != GsoKind.None) QueueGsoExtra(offload);
                }
                if (hostile == HostileMode.ProducerOverflow)
                {
                    Volatile.Write(ref rx.Shared->RspProd, rx.ResponseProducerPrivate + rx.Size + 1);
                    Notify(rxPort);
                }
                else if (rx.PushResponsesAndCheckNotify())
                {
                    Notify(rxPort);
                }
                Interlocked.Increment(ref toGuest);
                return true;
            }
            catch (RingProtocolException e)
            {
                owner.Fail("rx ring: " + e.Message);
                return false;
            }
        }
    }

    private void Lie(ref NetifRxResponse response)
    {
        if (hostile == HostileMode.LyingIds) response.Id = (ushort)(response.Id + 1);
        if (hostile == HostileMode.GrantAbuse) response.Offset = (ushort)(GrantedPages.XenPageSize - 8);
    }

    private void QueueGsoExtra(FrameOffload offload)
    {
        rx.TryTakeRequest(out _);
        var extra = default(NetifRxResponse);
        ref var info = ref Unsafe.As<NetifRxResponse, NetifExtraInfo>(ref extra);
        info.Type = Netif.XenNetifExtraTypeGso;
        info.U.Gso.Size = offload.GsoSize;
        info.U.Gso.Type = offload.Gso == GsoKind.TcpV4 ? (byte)Netif.XenNetifGsoTypeTcpv4 : (byte)Netif.XenNetifGsoTypeTcpv6;
        rx.TryQueueResponse(extra);
    }

    private bool WaitForRxRequests(int needed)
    {
        var deadline = DateTime.UtcNow + SlotWait;
        while (!stopping && !owner.IsFailed)
        {
            if (rx.UnconsumedRequests() >= needed) return true;
            // Ask for an event once the frontend posts more (req_event), then look again before sleeping.
            Volatile.Write(ref rx.Shared->ReqEvent, rx.RequestConsumer + (uint)needed);
            Interlocked.MemoryBarrier();
            if (rx.UnconsumedRequests() >= needed) return true;
            if (DateTime.UtcNow > deadline) return false;
            rxSignal.Wait(20);
        }
        return false;
    }

    private void Notify(uint port)
    {
        try
        {
            services.EventChannels.Notify(port);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            owner.Fail($"notify port {port}: {e.Message}");
        }
    }

    private void ClosePorts()
    {
        foreach (var port in split ? new[] { txPort, rxPort } : [txPort])
        {
            if (port == 0) continue;
            try { services.EventChannels.Close(port); }
            catch (Exception e) when (e is not OutOfMemoryException) { }
        }
    }

    /// <summary>
    /// Stops the tx worker, closes the ports and unmaps the rings. The unmapping is done by whichever of this and the
    /// tx worker finishes last, so the worker never touches a ring that is gone (Dispose from a frame handler, or a
    /// handler still blocked when the wait ends); senders see <c>stopping</c> under the rx lock and touch nothing.
    /// </summary>
    public void Dispose()
    {
        stopping = true;
        txSignal.Release();
        rxSignal.Release();
        if (txWorker == Thread.CurrentThread || txWorker.IsAlive && !txWorker.Join(TimeSpan.FromSeconds(5))) return;
        Release();
    }

    private void Release()
    {
        if (Interlocked.Exchange(ref released, 1) != 0) return;
        lock (rxGate)
        {
            ClosePorts();
            rxPage.Dispose();
            txPage.Dispose();
        }
    }
}
