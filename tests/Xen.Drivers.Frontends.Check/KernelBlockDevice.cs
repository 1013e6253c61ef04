using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using Xen.Drivers.Xbf.Block;

namespace Xen.Drivers.Frontends.Check;

/// <summary>
/// A guest's kernel block device (<c>/dev/xvdX</c> of xen-blkfront) behind <see cref="IBlockDevice"/>, opened with
/// O_DIRECT so the bench's job reaches the backend as it does through Xbf instead of the page cache.
/// </summary>
internal sealed unsafe class KernelBlockDevice : IBlockDevice, IDisposable
{
    private const FileOptions Direct = (FileOptions)0x20000000; // .NET's NoBuffering, O_DIRECT on Linux
    private const int Alignment = 4096;
    private readonly SafeFileHandle handle;
    private readonly string path;

    public KernelBlockDevice(string path)
    {
        this.path = path;
        handle = File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite, Direct);
        SectorCount = RandomAccess.GetLength(handle) / 512;
        if (SectorCount == 0) throw new IOException($"{path}: the device has no sectors");
    }

    public long SectorCount { get; }
    public int SectorSize => 512;
    public int PhysicalSectorSize => 512;
    public bool IsReadOnly => false;
    public bool CanFlush => true;
    public bool CanDiscard => false;
    public int DiscardGranularity => 0;

    public ValueTask ReadAsync(long sector, Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        using var bounce = new AlignedBuffer(buffer.Length);
        int read = RandomAccess.Read(handle, bounce.Span, sector * 512);
        if (read != buffer.Length) throw new IOException($"{path}: read {read} of {buffer.Length} bytes at sector {sector}");
        bounce.Span.CopyTo(buffer.Span);
        return ValueTask.CompletedTask;
    }

    public ValueTask WriteAsync(long sector, ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        using var bounce = new AlignedBuffer(buffer.Length);
        buffer.Span.CopyTo(bounce.Span);
        RandomAccess.Write(handle, bounce.Span, sector * 512);
        return ValueTask.CompletedTask;
    }

    public ValueTask FlushAsync(CancellationToken cancellationToken = default)
    {
        RandomAccess.FlushToDisk(handle);
        return ValueTask.CompletedTask;
    }

    public ValueTask DiscardAsync(long sector, long sectorCount, CancellationToken cancellationToken = default)
        => throw new NotSupportedException($"{path}: the bench does not discard");

    public void Dispose() => handle.Dispose();

    /// <summary>O_DIRECT wants the buffer aligned too.</summary>
    private readonly struct AlignedBuffer(int length) : IDisposable
    {
        private readonly void* memory = NativeMemory.AlignedAlloc((nuint)Math.Max(length, 1), Alignment);

        public Span<byte> Span => new(memory, length);

        public void Dispose() => NativeMemory.AlignedFree(memory);
    }
}
