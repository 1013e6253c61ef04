using System.IO.MemoryMappedFiles;
using Xen.Abi.Io;

namespace XenGen.Interop;

/// <summary>
/// A zeroed temporary file mapped shared (MAP_SHARED) into this process: a blkif ring of <c>ringBytes</c> bytes
/// followed by the <see cref="Interop.Control"/> block. Another process maps the same file by its <see cref="Path"/>.
/// The file is removed on dispose.
/// </summary>
public sealed unsafe class SharedFile : IDisposable
{
    private readonly MemoryMappedFile _file;
    private readonly MemoryMappedViewAccessor _view;
    private readonly bool _owner;

    /// <summary>Creates the file with room for the ring and one page for the control block, and maps it.</summary>
    public SharedFile(long ringBytes)
        : this(System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"xengen-ring-{Environment.ProcessId}-{Guid.NewGuid():N}"), ringBytes, create: true)
    {
    }

    private SharedFile(string path, long ringBytes, bool create)
    {
        long bytes = ringBytes + 4096;
        Path = path;
        _owner = create;
        if (create)
        {
            using var f = File.Create(Path);
            f.SetLength(bytes);
        }
        _file = MemoryMappedFile.CreateFromFile(Path, FileMode.Open, null, bytes, MemoryMappedFileAccess.ReadWrite);
        _view = _file.CreateViewAccessor(0, bytes);
        byte* p = null;
        _view.SafeMemoryMappedViewHandle.AcquirePointer(ref p);
        Ring = (BlkifSring*)(p + _view.PointerOffset);
        Control = (Control*)((byte*)Ring + ringBytes);
    }

    /// <summary>Maps a file another process created; dispose leaves the file in place.</summary>
    public static SharedFile Open(string path, long ringBytes) => new(path, ringBytes, create: false);

    /// <summary>The file's path.</summary>
    public string Path { get; }

    /// <summary>The shared ring at the start of the file.</summary>
    public BlkifSring* Ring { get; }

    /// <summary>The control block after the ring.</summary>
    public Control* Control { get; }

    /// <summary>Unmaps the file, and deletes it if this side created it.</summary>
    public void Dispose()
    {
        _view.SafeMemoryMappedViewHandle.ReleasePointer();
        _view.Dispose();
        _file.Dispose();
        if (_owner) File.Delete(Path);
    }
}
