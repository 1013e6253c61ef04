namespace Xen.Drivers.Xbf.Block;

/// <summary>
/// A seekable <see cref="Stream"/> over an <see cref="IBlockDevice"/>: any position and length; the sectors a transfer
/// only partly covers are read, patched and written back (one such read-modify-write at a time). Its length is the
/// device's; it cannot grow.
/// </summary>
public sealed class BlockDeviceStream(IBlockDevice device) : Stream
{
    private const int SectorUnit = 512;
    private readonly SemaphoreSlim partialSectors = new(1, 1);
    private long position;

    /// <summary>The device.</summary>
    public IBlockDevice Device { get; } = device;

    /// <inheritdoc/>
    public override bool CanRead => true;

    /// <inheritdoc/>
    public override bool CanSeek => true;

    /// <inheritdoc/>
    public override bool CanWrite => !Device.IsReadOnly;

    /// <inheritdoc/>
    public override long Length => Device.SectorCount * SectorUnit;

    /// <inheritdoc/>
    public override long Position
    {
        get => position;
        set => position = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "a position is not negative");
    }

    /// <inheritdoc/>
    public override long Seek(long offset, SeekOrigin origin) => Position = origin switch
    {
        SeekOrigin.Begin => offset,
        SeekOrigin.Current => position + offset,
        SeekOrigin.End => Length + offset,
        _ => throw new ArgumentOutOfRangeException(nameof(origin)),
    };

    /// <inheritdoc/>
    public override void SetLength(long value) => throw new NotSupportedException("a block device's length is fixed");

    /// <inheritdoc/>
    public override void Flush() => Device.FlushAsync().AsTask().GetAwaiter().GetResult();

    /// <inheritdoc/>
    public override Task FlushAsync(CancellationToken cancellationToken) => Device.FlushAsync(cancellationToken).AsTask();

    /// <inheritdoc/>
    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    /// <inheritdoc/>
    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    /// <inheritdoc/>
    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <inheritdoc/>
    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <inheritdoc/>
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var count = (int)Math.Clamp(Length - position, 0, buffer.Length);
        if (count == 0) return 0;
        await ReadAtAsync(position, buffer[..count], cancellationToken).ConfigureAwait(false);
        position += count;
        return count;
    }

    /// <inheritdoc/>
    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (position > Length - buffer.Length)
            throw new IOException($"a write of {buffer.Length} bytes at {position} goes past the device's {Length} bytes");
        await WriteAtAsync(position, buffer, cancellationToken).ConfigureAwait(false);
        position += buffer.Length;
    }

    /// <summary>Reads <paramref name="buffer"/>.Length bytes at byte <paramref name="offset"/>, any alignment.</summary>
    public async ValueTask ReadAtAsync(long offset, Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var unit = Device.SectorSize;
        if (offset % unit == 0 && buffer.Length % unit == 0)
        {
            await Device.ReadAsync(offset / SectorUnit, buffer, cancellationToken).ConfigureAwait(false);
            return;
        }
        var (start, length) = Cover(offset, buffer.Length, unit);
        var whole = new byte[length];
        await Device.ReadAsync(start / SectorUnit, whole, cancellationToken).ConfigureAwait(false);
        whole.AsMemory((int)(offset - start), buffer.Length).CopyTo(buffer);
    }

    /// <summary>Writes <paramref name="buffer"/> at byte <paramref name="offset"/>, any alignment.</summary>
    public async ValueTask WriteAtAsync(long offset, ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var unit = Device.SectorSize;
        if (offset % unit == 0 && buffer.Length % unit == 0)
        {
            await Device.WriteAsync(offset / SectorUnit, buffer, cancellationToken).ConfigureAwait(false);
            return;
        }
        var (start, length) = Cover(offset, buffer.Length, unit);
        await partialSectors.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var whole = new byte[length];
            await Device.ReadAsync(start / SectorUnit, whole, cancellationToken).ConfigureAwait(false);
            buffer.CopyTo(whole.AsMemory((int)(offset - start)));
            await Device.WriteAsync(start / SectorUnit, whole, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            partialSectors.Release();
        }
    }

    /// <summary>The whole sectors around [offset, offset + length).</summary>
    private static (long Start, int Length) Cover(long offset, int length, int unit)
    {
        var start = offset / unit * unit;
        var end = (offset + length + unit - 1) / unit * unit;
        return (start, checked((int)(end - start)));
    }
}
