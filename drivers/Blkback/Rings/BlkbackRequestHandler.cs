using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Xen.Abi.Io;
using Xen.Drivers.Blkback.Storage;
using Xen.Services;

namespace Xen.Drivers.Blkback.Rings;

/// <summary>
/// Carries out one request copied off the ring, checking it as dispatch_rw_block_io does (operation, segment
/// count and bounds, sector range and alignment, read-only), with the data through persistent mappings or grant
/// copy. Any failure is the frontend's: it gets <c>BLKIF_RSP_ERROR</c>, never an exception.
/// </summary>
internal sealed class BlkbackRequestHandler(BlkbackQueueContext context, PersistentGrants? persistent)
{
    private const int SectorBytes = 512;
    private const int PageBytes = 1 << Ring.XenPageShift;
    private static readonly int SegmentsPerIndirectPage = PageBytes / Unsafe.SizeOf<BlkifRequestSegment>();
    private readonly BlkifSegment[] segments = new BlkifSegment[Math.Max(Blkif.BlkifMaxSegmentsPerRequest, context.Options.MaxIndirectSegments)];
    private readonly byte[] copyBuffer = new byte[PageBytes];
    private readonly byte[] descriptorPage = new byte[PageBytes];

    /// <summary>The response to <paramref name="request"/>, after doing it.</summary>
    public BlkifResponse Handle(in BlkifRequest request)
    {
        var copy = request;
        byte echoed = copy.Operation;
        short status;
        try
        {
            status = copy.Operation switch
            {
                Blkif.BlkifOpRead or Blkif.BlkifOpWrite => Transfer(copy.Operation, copy.SectorNumber, Direct(ref copy)),
                Blkif.BlkifOpIndirect => Indirect(ref copy, out echoed),
                Blkif.BlkifOpFlushDiskcache when context.Options.FlushCache => FlushAfter(ref copy),
                Blkif.BlkifOpWriteBarrier when context.Options.Barrier => FlushAfter(ref copy),
                Blkif.BlkifOpDiscard when context.Options.Discard => Discard(ref copy),
                _ => Blkif.BlkifRspEopnotsupp,
            };
        }
        catch (RequestRejectedException e)
        {
            context.Log($"{context.Name}: request {copy.Id} ({Blkif.CNameOf(copy.Operation, "BLKIF_OP_") ?? copy.Operation.ToString()}): {e.Message}");
            status = Blkif.BlkifRspError;
        }
        catch (Exception e) when (e is GrantRefusedException or IOException)
        {
            context.Log($"{context.Name}: request {copy.Id}: {e.Message}");
            status = Blkif.BlkifRspError;
        }
        return new BlkifResponse { Id = copy.Id, Operation = echoed, Status = status };
    }

    /// <summary>The segments of a read or write that carries them in the request.</summary>
    private ReadOnlySpan<BlkifSegment> Direct(ref BlkifRequest request)
    {
        var count = request.NrSegments;
        if (count is 0 or > Blkif.BlkifMaxSegmentsPerRequest) throw new RequestRejectedException($"{count} segments (1..{Blkif.BlkifMaxSegmentsPerRequest})");
        for (var i = 0; i < count; i++) segments[i] = Check(request.Seg[i]);
        return segments.AsSpan(0, count);
    }

    private unsafe short Indirect(ref BlkifRequest request, out byte echoed)
    {
        ref var indirect = ref Unsafe.As<BlkifRequest, BlkifRequestIndirect>(ref request);
        echoed = indirect.IndirectOp;
        if (context.Options.MaxIndirectSegments == 0) return Blkif.BlkifRspEopnotsupp;
        if (indirect.IndirectOp is not (Blkif.BlkifOpRead or Blkif.BlkifOpWrite)) throw new RequestRejectedException($"indirect operation {indirect.IndirectOp}");
        int count = indirect.NrSegments;
        if (count == 0 || count > context.Options.MaxIndirectSegments)
            throw new RequestRejectedException($"{count} indirect segments (1..{context.Options.MaxIndirectSegments})");
        var pages = (count + SegmentsPerIndirectPage - 1) / SegmentsPerIndirectPage;
        for (var p = 0; p < pages; p++)
        {
            ReadDescriptorPage(indirect.IndirectGrefs[p]);
            var descriptors = MemoryMarshal.Cast<byte, BlkifRequestSegment>(descriptorPage);
            var inPage = Math.Min(SegmentsPerIndirectPage, count - p * SegmentsPerIndirectPage);
            for (var i = 0; i < inPage; i++) segments[p * SegmentsPerIndirectPage + i] = Check(descriptors[i]);
        }
        return Transfer(indirect.IndirectOp, indirect.SectorNumber, segments.AsSpan(0, count));
    }

    /// <summary>
    /// An indirect page's descriptors, copied into <see cref="descriptorPage"/> before they are checked. With
    /// persistent grants the page is mapped read-write and kept, as Linux's xen-blkback maps every grant of a request
    /// then (a page it keeps may carry a later read's data): a frontend that granted it read-only is refused by the
    /// hypervisor, here as there. Without them a grant copy, which only reads, as blkback's read-only map does.
    /// </summary>
    private void ReadDescriptorPage(uint gref)
    {
        if (persistent is null)
        {
            context.Foreign.CopyFrom(context.FrontendDomain, gref, 0, descriptorPage);
            return;
        }
        if (persistent.Get(gref) is { } kept)
        {
            kept.Span[..PageBytes].CopyTo(descriptorPage);
            return;
        }
        using var page = context.Foreign.Map(context.FrontendDomain, [gref], readOnly: false);
        page.Span[..PageBytes].CopyTo(descriptorPage);
    }

    private static BlkifSegment Check(in BlkifRequestSegment segment)
    {
        if (segment.FirstSect > segment.LastSect || segment.LastSect >= PageBytes / SectorBytes)
            throw new RequestRejectedException($"segment sectors {segment.FirstSect}..{segment.LastSect} are not inside a page");
        return new BlkifSegment(segment.Gref, segment.FirstSect * SectorBytes, (segment.LastSect - segment.FirstSect + 1) * SectorBytes);
    }

    private short Transfer(byte operation, ulong sector, ReadOnlySpan<BlkifSegment> parts)
    {
        var write = operation != Blkif.BlkifOpRead;
        if (write && context.File.ReadOnly) throw new RequestRejectedException("write to a read-only device");
        long bytes = 0;
        foreach (var part in parts) bytes += part.Length;
        CheckRange(sector, (ulong)(bytes / SectorBytes));
        var offset = (long)sector * SectorBytes;
        foreach (var part in parts)
        {
            Move(part, offset, write);
            offset += part.Length;
        }
        return Blkif.BlkifRspOkay;
    }

    private unsafe void Move(in BlkifSegment part, long offset, bool write)
    {
        if (persistent?.Get(part.Gref) is { } page)
        {
            var span = page.Span.Slice(part.Offset, part.Length);
            if (write) context.File.Write(span, offset);
            else context.File.Read(span, offset);
            return;
        }
        var buffer = copyBuffer.AsSpan(0, part.Length);
        if (write)
        {
            context.Foreign.CopyFrom(context.FrontendDomain, part.Gref, part.Offset, buffer);
            context.File.Write(buffer, offset);
        }
        else
        {
            context.File.Read(buffer, offset);
            context.Foreign.CopyTo(context.FrontendDomain, part.Gref, part.Offset, buffer);
        }
    }

    /// <summary>A flush, or a barrier: the data it carries (if any) is written first, then everything is made durable.</summary>
    private short FlushAfter(ref BlkifRequest request)
    {
        if (request.NrSegments > 0) Transfer(Blkif.BlkifOpWrite, request.SectorNumber, Direct(ref request));
        context.File.Flush();
        return Blkif.BlkifRspOkay;
    }

    private short Discard(ref BlkifRequest request)
    {
        ref var discard = ref Unsafe.As<BlkifRequest, BlkifRequestDiscard>(ref request);
        if (context.File.ReadOnly) throw new RequestRejectedException("discard on a read-only device");
        CheckRange(discard.SectorNumber, discard.NrSectors);
        context.File.Discard((long)discard.SectorNumber * SectorBytes, (long)discard.NrSectors * SectorBytes);
        return Blkif.BlkifRspOkay;
    }

    private void CheckRange(ulong sector, ulong count)
    {
        var perSector = (ulong)(context.Options.SectorSize / SectorBytes);
        if (sector % perSector != 0 || count % perSector != 0)
            throw new RequestRejectedException($"sectors {sector}+{count} are not aligned to the {context.Options.SectorSize}-byte sector size");
        if (sector > context.Sectors || count > context.Sectors - sector)
            throw new RequestRejectedException($"sectors {sector}+{count} are outside the disk's {context.Sectors}");
    }

    private sealed class RequestRejectedException(string message) : Exception(message);
}
