namespace Xen.Drivers.Xbf.Rings;

/// <summary>One blkif request as the disk asks a queue for it; the queue turns it into ring and bounce contents.</summary>
/// <param name="Operation">A <c>BLKIF_OP_*</c>: read, write, flush, barrier or discard.</param>
/// <param name="Sector">The first 512-byte sector.</param>
/// <param name="WriteData">For a write (or a barrier with data): the bytes, at most one request's worth.</param>
/// <param name="ReadTarget">For a read: where the bytes go once the backend answered.</param>
/// <param name="DiscardSectors">For a discard: how many sectors.</param>
/// <param name="DiscardFlag">For a discard: <c>BLKIF_DISCARD_SECURE</c> or 0.</param>
internal readonly record struct XbfRequest(
    byte Operation, long Sector, ReadOnlyMemory<byte> WriteData = default, Memory<byte> ReadTarget = default,
    long DiscardSectors = 0, byte DiscardFlag = 0)
{
    /// <summary>The data bytes the request carries in its segments.</summary>
    public int DataBytes => WriteData.Length + ReadTarget.Length;
}
