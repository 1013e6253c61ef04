using System.Numerics;
using Xen.Abi.Io;

namespace Xen.Drivers.Xbf.Negotiation;

/// <summary>
/// What the backend publishes when it connects (blkfront_connect and blkfront_gather_backend_features): the size in
/// 512-byte sectors, the sector sizes, the <c>info</c> bits and the optional features.
/// </summary>
public sealed record XbfDiskInfo
{
    /// <summary>The size in 512-byte sectors (<c>sectors</c>).</summary>
    public required long Sectors { get; init; }

    /// <summary>The logical sector size (<c>sector-size</c>).</summary>
    public required int SectorSize { get; init; }

    /// <summary>The physical sector size (<c>physical-sector-size</c>, else the logical one).</summary>
    public required int PhysicalSectorSize { get; init; }

    /// <summary>The <c>info</c> bits (<c>VDISK_*</c>).</summary>
    public required uint Info { get; init; }

    /// <summary>Whether <c>VDISK_READONLY</c> is set.</summary>
    public bool IsReadOnly => (Info & Blkif.VdiskReadonly) != 0;

    /// <summary>Whether <c>VDISK_CDROM</c> is set.</summary>
    public bool IsCdrom => (Info & Blkif.VdiskCdrom) != 0;

    /// <summary>Whether <c>VDISK_REMOVABLE</c> is set.</summary>
    public bool IsRemovable => (Info & Blkif.VdiskRemovable) != 0;

    /// <summary><c>feature-flush-cache</c>: <c>BLKIF_OP_FLUSH_DISKCACHE</c> is accepted.</summary>
    public bool FlushCache { get; init; }

    /// <summary><c>feature-barrier</c>: <c>BLKIF_OP_WRITE_BARRIER</c> is accepted.</summary>
    public bool Barrier { get; init; }

    /// <summary><c>feature-discard</c>: <c>BLKIF_OP_DISCARD</c> is accepted.</summary>
    public bool Discard { get; init; }

    /// <summary><c>discard-granularity</c> in bytes (0 when absent).</summary>
    public int DiscardGranularity { get; init; }

    /// <summary><c>discard-alignment</c> in bytes.</summary>
    public int DiscardAlignment { get; init; }

    /// <summary><c>discard-secure</c>: <c>BLKIF_DISCARD_SECURE</c> is honoured.</summary>
    public bool DiscardSecure { get; init; }

    /// <summary><c>feature-max-indirect-segments</c> (0 when absent: no <c>BLKIF_OP_INDIRECT</c>).</summary>
    public int MaxIndirectSegments { get; init; }

    /// <summary><c>feature-persistent</c> of the backend.</summary>
    public bool Persistent { get; init; }

    /// <summary>Reads and checks the backend's connect-time keys.</summary>
    /// <exception cref="FormatException">A required key is missing, or a value is malformed or impossible.</exception>
    public static async Task<XbfDiskInfo> ReadAsync(Xen.XenStore.Client.XsStoreOperations store, string backend, CancellationToken cancellationToken)
    {
        var sectors = await XenbusKeys.ReadRequiredAsync(store, backend, "sectors", cancellationToken).ConfigureAwait(false);
        var info = await XenbusKeys.ReadRequiredAsync(store, backend, "info", cancellationToken).ConfigureAwait(false);
        var sectorSize = await XenbusKeys.ReadNumberAsync(store, backend, "sector-size", XbfGeometry.SectorBytes, cancellationToken).ConfigureAwait(false);
        var physical = await XenbusKeys.ReadNumberAsync(store, backend, "physical-sector-size", sectorSize, cancellationToken).ConfigureAwait(false);
        if (sectors > long.MaxValue / XbfGeometry.SectorBytes)
            throw new FormatException($"{backend}/sectors = {sectors} is beyond any disk");
        if (!IsSectorSize(sectorSize, XbfGeometry.PageBytes))
            throw new FormatException($"{backend}/sector-size = {sectorSize} is not a power of two from {XbfGeometry.SectorBytes} to {XbfGeometry.PageBytes}");
        if (!IsSectorSize(physical, 1 << 20) || physical < sectorSize)
            throw new FormatException($"{backend}/physical-sector-size = {physical} is not a power of two at least sector-size {sectorSize}");
        if (info > uint.MaxValue)
            throw new FormatException($"{backend}/info = {info} does not fit 32 bits");
        var discard = await XenbusKeys.ReadFeatureAsync(store, backend, "feature-discard", cancellationToken).ConfigureAwait(false);
        var granularity = discard ? await XenbusKeys.ReadNumberAsync(store, backend, "discard-granularity", 0, cancellationToken).ConfigureAwait(false) : 0;
        var alignment = discard ? await XenbusKeys.ReadNumberAsync(store, backend, "discard-alignment", 0, cancellationToken).ConfigureAwait(false) : 0;
        var indirect = await XenbusKeys.ReadNumberAsync(store, backend, "feature-max-indirect-segments", 0, cancellationToken).ConfigureAwait(false);
        return new XbfDiskInfo
        {
            Sectors = (long)sectors,
            SectorSize = (int)sectorSize,
            PhysicalSectorSize = (int)physical,
            Info = (uint)info,
            FlushCache = await XenbusKeys.ReadFeatureAsync(store, backend, "feature-flush-cache", cancellationToken).ConfigureAwait(false),
            Barrier = await XenbusKeys.ReadFeatureAsync(store, backend, "feature-barrier", cancellationToken).ConfigureAwait(false),
            Discard = discard,
            // As blkfront: a granularity or alignment that makes no sense is ignored rather than trusted.
            DiscardGranularity = granularity <= int.MaxValue ? (int)granularity : 0,
            DiscardAlignment = alignment <= int.MaxValue ? (int)alignment : 0,
            DiscardSecure = discard && await XenbusKeys.ReadFeatureAsync(store, backend, "discard-secure", cancellationToken).ConfigureAwait(false),
            MaxIndirectSegments = (int)Math.Min(indirect, (ulong)XbfGeometry.MaxIndirectSegmentsCeiling),
            Persistent = await XenbusKeys.ReadFeatureAsync(store, backend, "feature-persistent", cancellationToken).ConfigureAwait(false),
        };
    }

    private static bool IsSectorSize(ulong size, ulong max) => size >= XbfGeometry.SectorBytes && size <= max && BitOperations.IsPow2(size);
}
