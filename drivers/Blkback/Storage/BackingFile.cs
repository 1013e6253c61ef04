using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Xen.Drivers.Blkback.Storage;

/// <summary>The file a vbd's <c>params</c> names, read and written at offsets; discard punches holes.</summary>
internal sealed partial class BackingFile : IDisposable
{
    private readonly FileStream stream;

    public BackingFile(string path, bool readOnly)
    {
        try
        {
            stream = new FileStream(path, FileMode.Open, readOnly ? FileAccess.Read : FileAccess.ReadWrite, FileShare.ReadWrite, 1, FileOptions.None);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"vbd params \"{path}\": {e.Message}", e);
        }
        Path = path;
        ReadOnly = readOnly;
        Length = stream.Length;
    }

    public string Path { get; }

    public bool ReadOnly { get; }

    public long Length { get; }

    private SafeFileHandle Handle => stream.SafeFileHandle;

    public void Read(Span<byte> buffer, long offset)
    {
        var done = 0;
        while (done < buffer.Length)
        {
            var n = RandomAccess.Read(Handle, buffer[done..], offset + done);
            if (n == 0)
            {
                buffer[done..].Clear(); // past the end reads as zeros, as a sparse tail does
                return;
            }
            done += n;
        }
    }

    public void Write(ReadOnlySpan<byte> buffer, long offset) => RandomAccess.Write(Handle, buffer, offset);

    /// <summary>fsync: what was written is on stable storage.</summary>
    public void Flush() => stream.Flush(flushToDisk: true);

    /// <summary>Deallocates [offset, offset + length), which then reads as zeros; falls back to writing zeros.</summary>
    public void Discard(long offset, long length)
    {
        if (fallocate((int)Handle.DangerousGetHandle(), FallocFlKeepSize | FallocFlPunchHole, offset, length) == 0) return;
        var zeros = new byte[64 * 1024];
        for (var done = 0L; done < length; done += zeros.Length)
            Write(zeros.AsSpan(0, (int)Math.Min(zeros.Length, length - done)), offset + done);
    }

    public void Dispose() => stream.Dispose();

    // linux/falloc.h: the file keeps its size, the range is deallocated.
    private const int FallocFlKeepSize = 0x01;
    private const int FallocFlPunchHole = 0x02;

    [LibraryImport("libc", SetLastError = true)]
    private static partial int fallocate(int fd, int mode, long offset, long len);
}
