using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Xen.Abi.Io;
using Xen.Drivers.Xbf.Block;
using Xen.Rings;
using Xen.Services;

namespace Xen.Drivers.Xbf.Rings;

/// <summary>
/// One blkif ring with its event channel and request ids (a queue of <c>multi-queue-num-queues</c>). Requests are
/// bounced through each id's own granted pages; each response is copied once out of the ring and checked (a known
/// id in flight, the operation it was asked) before anything acts on it. A broken response calls the protocol-error
/// handler, which fails the whole device; this queue then takes nothing more from the ring.
/// </summary>
internal sealed class XbfQueue : IDisposable
{
    private readonly XenDomainServices services;
    private readonly ushort backendDomain;
    private readonly ushort handle;
    private readonly Action<string> protocolError;
    private readonly GrantedPages ringPages;
    private readonly Lock gate = new();
    private readonly Stack<XbfRequestSlot> free = new();
    private readonly CancellationTokenSource stopped = new();
    private BlkifFront ring;
    private XbfRequestSlot[] slots = [];
    private SemaphoreSlim freeCount = new(0);
    private int segmentsPerRequest;
    private bool closed;

    private unsafe XbfQueue(XenDomainServices services, ushort backendDomain, ushort handle, int pageOrder, Action<string> protocolError)
    {
        this.services = services;
        this.backendDomain = backendDomain;
        this.handle = handle;
        this.protocolError = protocolError;
        PageOrder = pageOrder;
        ringPages = services.Grants.Grant(backendDomain, 1 << pageOrder);
        ring = BlkifFront.Init((BlkifSring*)ringPages.Address, BlkifFront.BytesForPageOrder(pageOrder));
        try
        {
            Port = services.EventChannels.AllocUnbound(backendDomain, _ => TakeResponses());
        }
        catch
        {
            ringPages.Dispose();
            throw;
        }
    }

    /// <summary>A queue with a fresh ring of 2^<paramref name="pageOrder"/> pages granted to <paramref name="backendDomain"/> and an unbound port.</summary>
    public static XbfQueue Create(XenDomainServices services, ushort backendDomain, ushort handle, int pageOrder, Action<string> protocolError)
        => new(services, backendDomain, handle, pageOrder, protocolError);

    /// <summary>The ring's page order.</summary>
    public int PageOrder { get; }

    /// <summary>The ring pages' grant references (<c>ring-ref</c>, or <c>ring-ref0</c>...).</summary>
    public IReadOnlyList<uint> RingReferences => ringPages.References;

    /// <summary>The event channel (<c>event-channel</c>).</summary>
    public uint Port { get; }

    /// <summary>The ring's entries.</summary>
    public uint RingSize => ring.Size;

    /// <summary>The most data bytes one request carries.</summary>
    public int MaxRequestBytes => segmentsPerRequest * XbfGeometry.PageBytes;

    /// <summary>Requests on the ring awaiting their response.</summary>
    public int InFlight
    {
        get
        {
            lock (gate) return slots.Count(s => s.InFlight);
        }
    }

    /// <summary>
    /// Grants the bounce pages of <paramref name="count"/> request ids of <paramref name="segments"/> pages each
    /// (with an indirect page each when <paramref name="segments"/> is more than a request holds directly). The indirect
    /// pages are granted read-only unless <paramref name="persistent"/>: a backend using persistent grants maps every
    /// grant writable, as Linux's xen-blkback does (its map of a read-only grant then fails and so does the request).
    /// </summary>
    public void AllocateSlots(int count, int segments, bool persistent)
    {
        var indirect = segments > Blkif.BlkifMaxSegmentsPerRequest;
        var made = new List<XbfRequestSlot>();
        try
        {
            for (var i = 0; i < count; i++)
            {
                var bounce = services.Grants.Grant(backendDomain, segments);
                GrantedPages? descriptors = null;
                try
                {
                    if (indirect) descriptors = services.Grants.Grant(backendDomain, (segments + XbfGeometry.SegmentsPerIndirectPage - 1) / XbfGeometry.SegmentsPerIndirectPage, readOnly: !persistent);
                }
                catch
                {
                    bounce.Dispose();
                    throw;
                }
                made.Add(new XbfRequestSlot((ulong)i, bounce, descriptors));
            }
        }
        catch
        {
            foreach (var slot in made) slot.Dispose();
            throw;
        }
        lock (gate)
        {
            slots = made.ToArray();
            segmentsPerRequest = segments;
            for (var i = slots.Length - 1; i >= 0; i--) free.Push(slots[i]);
            freeCount = new SemaphoreSlim(slots.Length);
        }
    }

    /// <summary>Puts <paramref name="request"/> on the ring once an id is free; completes with the backend's status.</summary>
    /// <exception cref="BlockDeviceException">The queue stopped (device error or disconnect) before or while the request was pending.</exception>
    public async Task<short> SubmitAsync(XbfRequest request, CancellationToken cancellationToken)
    {
        using (var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, stopped.Token))
        {
            try
            {
                await freeCount.WaitAsync(linked.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stopped.IsCancellationRequested)
            {
                throw Stopped();
            }
        }
        var completion = new TaskCompletionSource<short>(TaskCreationOptions.RunContinuationsAsynchronously);
        bool notify;
        lock (gate)
        {
            if (closed) throw Stopped();
            var slot = free.Pop();
            Fill(slot, request);
            slot.Completion = completion;
            slot.InFlight = true;
            notify = ring.PushRequestsAndCheckNotify();
        }
        if (notify) services.EventChannels.Notify(Port);
        return await completion.Task.ConfigureAwait(false);
    }

    /// <summary>Why requests fail once the queue stopped; set by <see cref="Stop"/>.</summary>
    private BlockDeviceException Stopped() => new(stopReason ?? "the device is stopped", stopFailure);

    private string? stopReason;
    private BlockDeviceFailure stopFailure = BlockDeviceFailure.Disconnected;

    /// <summary>Writes the ring slot (and bounce and indirect pages) for <paramref name="request"/>; under the gate.</summary>
    private void Fill(XbfRequestSlot slot, in XbfRequest request)
    {
        ref var entry = ref ring.NextRequest();
        entry = default;
        slot.Operation = slot.AlternateOperation = request.Operation;
        slot.ReadTarget = request.ReadTarget;
        switch (request.Operation)
        {
            case Blkif.BlkifOpRead or Blkif.BlkifOpWrite or Blkif.BlkifOpWriteBarrier when request.DataBytes > 0:
                request.WriteData.Span.CopyTo(slot.Bounce.Span);
                FillData(slot, ref entry, request);
                break;
            case Blkif.BlkifOpDiscard:
                ref var discard = ref Unsafe.As<BlkifRequest, BlkifRequestDiscard>(ref entry);
                discard.Operation = request.Operation;
                discard.Flag = request.DiscardFlag;
                discard.Handle = handle;
                discard.Id = slot.Id;
                discard.SectorNumber = (ulong)request.Sector;
                discard.NrSectors = (ulong)request.DiscardSectors;
                break;
            default: // flush, or a barrier without data
                entry.Operation = request.Operation;
                entry.Handle = handle;
                entry.Id = slot.Id;
                entry.SectorNumber = (ulong)request.Sector;
                break;
        }
        ring.CommitRequest();
    }

    private unsafe void FillData(XbfRequestSlot slot, ref BlkifRequest entry, in XbfRequest request)
    {
        var bytes = request.DataBytes;
        var segments = (bytes + XbfGeometry.PageBytes - 1) / XbfGeometry.PageBytes;
        if (segments <= Blkif.BlkifMaxSegmentsPerRequest)
        {
            entry.Operation = request.Operation;
            entry.NrSegments = (byte)segments;
            entry.Handle = handle;
            entry.Id = slot.Id;
            entry.SectorNumber = (ulong)request.Sector;
            for (var i = 0; i < segments; i++) entry.Seg[i] = Segment(slot, i, bytes);
            return;
        }
        ref var indirect = ref Unsafe.As<BlkifRequest, BlkifRequestIndirect>(ref entry);
        indirect.Operation = Blkif.BlkifOpIndirect;
        indirect.IndirectOp = request.Operation;
        indirect.NrSegments = (ushort)segments;
        indirect.Id = slot.Id;
        indirect.SectorNumber = (ulong)request.Sector;
        indirect.Handle = handle;
        var pages = slot.Indirect!;
        var descriptors = MemoryMarshal.Cast<byte, BlkifRequestSegment>(pages.Span);
        for (var i = 0; i < segments; i++) descriptors[i] = Segment(slot, i, bytes);
        for (var p = 0; p < pages.PageCount; p++) indirect.IndirectGrefs[p] = pages.References[p];
        slot.Operation = Blkif.BlkifOpIndirect;
    }

    private static BlkifRequestSegment Segment(XbfRequestSlot slot, int index, int bytes)
    {
        var inPage = Math.Min(XbfGeometry.PageBytes, bytes - index * XbfGeometry.PageBytes);
        return new BlkifRequestSegment { Gref = slot.Bounce.References[index], FirstSect = 0, LastSect = (byte)(inPage / XbfGeometry.SectorBytes - 1) };
    }

    /// <summary>The event handler: takes every published response (each copied once), checks it, completes its request.</summary>
    private void TakeResponses()
    {
        List<(XbfRequestSlot Slot, short Status)>? done = null;
        string? broken = null;
        lock (gate)
        {
            if (closed) return;
            try
            {
                do
                {
                    while (ring.TryTakeResponse(out var response))
                    {
                        broken = Check(response, out var slot);
                        if (broken is not null) break;
                        slot!.InFlight = false;
                        (done ??= new()).Add((slot, response.Status));
                    }
                } while (broken is null && ring.FinalCheckForResponses());
            }
            catch (RingProtocolException e)
            {
                broken = e.Message;
            }
        }
        if (done is not null)
        {
            foreach (var (slot, status) in done) Complete(slot, status);
        }
        if (broken is not null) protocolError(broken);
    }

    /// <summary>Null when <paramref name="response"/> answers a request in flight with its operation; else what is wrong.</summary>
    private string? Check(in BlkifResponse response, out XbfRequestSlot? slot)
    {
        slot = null;
        if (response.Id >= (ulong)slots.Length) return $"response id {response.Id} is not a request id (0..{slots.Length - 1})";
        slot = slots[(int)response.Id];
        if (!slot.InFlight) return $"response id {response.Id} answers no request in flight (already completed)";
        if (response.Operation != slot.Operation && response.Operation != slot.AlternateOperation)
            return $"response id {response.Id} carries operation {response.Operation}, the request was {slot.Operation}";
        return null;
    }

    private void Complete(XbfRequestSlot slot, short status)
    {
        var completion = slot.Completion!;
        if (status == Blkif.BlkifRspOkay && !slot.ReadTarget.IsEmpty)
            slot.Bounce.Span[..slot.ReadTarget.Length].CopyTo(slot.ReadTarget.Span);
        slot.ReadTarget = default;
        slot.Completion = null;
        bool reusable;
        lock (gate)
        {
            // A response taken before a stop still completes its request; the id is not reused after it.
            reusable = !closed;
            if (reusable) free.Push(slot);
        }
        if (reusable) freeCount.Release();
        completion.TrySetResult(status);
    }

    /// <summary>
    /// Stops the queue: nothing more is taken from the ring or put on it, and every request in flight or waiting for
    /// an id fails with <paramref name="failure"/>.
    /// </summary>
    public void Stop(string reason, BlockDeviceFailure failure)
    {
        List<TaskCompletionSource<short>> pending = new();
        lock (gate)
        {
            if (closed) return;
            closed = true;
            stopReason = reason;
            stopFailure = failure;
            foreach (var slot in slots.Where(s => s.InFlight))
            {
                slot.InFlight = false;
                if (slot.Completion is { } c) pending.Add(c);
                slot.Completion = null;
            }
        }
        stopped.Cancel();
        foreach (var completion in pending) completion.TrySetException(Stopped());
    }

    /// <summary>Closes the event channel and ends the backend's access to the ring and bounce pages.</summary>
    public void Dispose()
    {
        Stop("the device is closed", BlockDeviceFailure.Disconnected);
        try { services.EventChannels.Close(Port); }
        catch (Exception e) when (e is not OutOfMemoryException) { services.Log($"xbf: closing port {Port}: {e.Message}"); }
        foreach (var slot in slots) slot.Dispose();
        ringPages.Dispose();
        // `stopped` is left undisposed: a submit racing this Dispose still reads its token and must see it cancelled
        // (and fail as Stopped) rather than meet an ObjectDisposedException; it holds no timer or handle.
    }
}
