namespace Xen.Drivers.Blkback.Rings;

/// <summary>One checked segment of a request: a grant and the byte range of its page the transfer covers.</summary>
internal readonly record struct BlkifSegment(uint Gref, int Offset, int Length);
