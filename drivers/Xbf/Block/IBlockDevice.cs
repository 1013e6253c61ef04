namespace Xen.Drivers.Xbf.Block;

/// <summary>
/// A disk addressed in 512-byte sectors (blkif.h's unit for every sector number and count, whatever the disk's own
/// sector size). Offsets and lengths must be multiples of <see cref="SectorSize"/>.
/// </summary>
public interface IBlockDevice
{
    /// <summary>The size in 512-byte sectors.</summary>
    long SectorCount { get; }

    /// <summary>The logical sector size in bytes: the unit of alignment of every transfer.</summary>
    int SectorSize { get; }

    /// <summary>The physical sector size in bytes (at least <see cref="SectorSize"/>).</summary>
    int PhysicalSectorSize { get; }

    /// <summary>Whether writes and discards are refused.</summary>
    bool IsReadOnly { get; }

    /// <summary>Whether <see cref="FlushAsync"/> reaches stable storage (the backend offers a cache flush or barrier).</summary>
    bool CanFlush { get; }

    /// <summary>Whether <see cref="DiscardAsync"/> is offered.</summary>
    bool CanDiscard { get; }

    /// <summary>The discard granularity in bytes (0 when unknown).</summary>
    int DiscardGranularity { get; }

    /// <summary>Reads <paramref name="buffer"/>.Length bytes from sector <paramref name="sector"/>.</summary>
    ValueTask ReadAsync(long sector, Memory<byte> buffer, CancellationToken cancellationToken = default);

    /// <summary>Writes <paramref name="buffer"/> at sector <paramref name="sector"/>.</summary>
    ValueTask WriteAsync(long sector, ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default);

    /// <summary>Makes every completed write durable (a no-op when <see cref="CanFlush"/> is false).</summary>
    ValueTask FlushAsync(CancellationToken cancellationToken = default);

    /// <summary>Tells the disk that <paramref name="sectorCount"/> sectors from <paramref name="sector"/> are unused.</summary>
    ValueTask DiscardAsync(long sector, long sectorCount, CancellationToken cancellationToken = default);
}
