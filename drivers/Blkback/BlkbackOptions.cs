namespace Xen.Drivers.Blkback;

/// <summary>What the backend offers, and whether it misbehaves.</summary>
public sealed class BlkbackOptions
{
    /// <summary>The logical sector size it reports (<c>sector-size</c>): 512 or a larger power of two up to a page.</summary>
    public int SectorSize { get; init; } = 512;

    /// <summary>The physical sector size (<c>physical-sector-size</c>).</summary>
    public int PhysicalSectorSize { get; init; } = 4096;

    /// <summary><c>max-ring-page-order</c> (Linux blkback's default is 4).</summary>
    public int MaxRingPageOrder { get; init; } = 4;

    /// <summary><c>multi-queue-max-queues</c>.</summary>
    public int MaxQueues { get; init; } = 4;

    /// <summary><c>feature-max-indirect-segments</c> (0: not offered; Linux's is 256).</summary>
    public int MaxIndirectSegments { get; init; } = 256;

    /// <summary><c>feature-persistent</c>.</summary>
    public bool Persistent { get; init; } = true;

    /// <summary>The most grants kept mapped per queue with persistent grants (Linux's max_persistent_grants is 1056).</summary>
    public int MaxPersistentGrants { get; init; } = 1056;

    /// <summary><c>feature-flush-cache</c>.</summary>
    public bool FlushCache { get; init; } = true;

    /// <summary><c>feature-barrier</c>.</summary>
    public bool Barrier { get; init; } = true;

    /// <summary><c>feature-discard</c> (with <c>discard-granularity</c> 4096 and <c>discard-alignment</c> 0).</summary>
    public bool Discard { get; init; } = true;

    /// <summary>Extra <c>info</c> bits (<c>VDISK_CDROM</c>, <c>VDISK_REMOVABLE</c>); <c>VDISK_READONLY</c> follows the device's <c>mode</c>.</summary>
    public uint ExtraInfo { get; init; }

    /// <summary>Misbehaviour for tests.</summary>
    public BlkbackHostility Hostility { get; init; }
}
