using Xen.Abi.Io;

namespace Xen.Drivers.Xbf;

/// <summary>The units blkif.h counts in.</summary>
internal static class XbfGeometry
{
    /// <summary>
    /// blkif.h's sector: every <c>sector_number</c>, <c>first_sect</c>/<c>last_sect</c>, <c>nr_sectors</c> and
    /// <c>sectors</c> is in 512-byte units whatever the disk's sector size (the header states it in prose; it has no macro).
    /// </summary>
    public const int SectorBytes = 512;

    /// <summary>Xen's page size: a segment is at most one page.</summary>
    public const int PageBytes = 1 << Ring.XenPageShift;

    /// <summary>Sectors in a page: <c>last_sect</c> is at most this minus one.</summary>
    public const int SectorsPerPage = PageBytes / SectorBytes;

    /// <summary>Segment descriptors in one indirect page.</summary>
    public static readonly int SegmentsPerIndirectPage = PageBytes / System.Runtime.CompilerServices.Unsafe.SizeOf<BlkifRequestSegment>();

    /// <summary>The most indirect segments a request can describe (<c>BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST</c> pages of descriptors).</summary>
    public static readonly int MaxIndirectSegmentsCeiling = Blkif.BlkifMaxIndirectPagesPerRequest * SegmentsPerIndirectPage;
}
