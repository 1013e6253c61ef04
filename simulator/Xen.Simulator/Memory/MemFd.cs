using Xen.Simulator.Native;

namespace Xen.Simulator.Memory;

/// <summary>
/// An anonymous shared-memory file (memfd_create) of whole frames, mapped MAP_SHARED once into this process. Another
/// mapping of the same file (here, or in another process given the descriptor) sees the same bytes.
/// </summary>
internal sealed unsafe class MemFd : IDisposable
{
    private int _fd;

    private MemFd(int fd, ulong frames, byte* view)
    {
        _fd = fd;
        FrameCount = frames;
        View = view;
    }

    /// <summary>The file descriptor.</summary>
    internal int Descriptor => _fd;

    /// <summary>How many frames the file holds.</summary>
    internal ulong FrameCount { get; }

    /// <summary>The whole file, mapped read-write and shared.</summary>
    internal byte* View { get; }

    /// <summary>Creates a zero-filled file of <paramref name="frames"/> frames and maps it.</summary>
    internal static MemFd Create(string name, ulong frames)
    {
        var fd = LibC.MemfdCreate(name, LibC.MfdCloexec);
        LibC.Check(fd, "memfd_create");
        var length = frames * Frames.Size;
        LibC.Check(LibC.Ftruncate(fd, (long)length), "ftruncate");
        var view = LibC.Mmap(0, (nuint)length, LibC.ProtRead | LibC.ProtWrite, LibC.MapShared, fd, 0);
        if (view == -1)
        {
            LibC.Check(-1, "mmap");
        }

        return new MemFd(fd, frames, (byte*)view);
    }

    /// <summary>Maps frame <paramref name="frame"/> of this file over the frame at <paramref name="at"/> (MAP_FIXED), read-only if asked.</summary>
    internal void MapFrameAt(byte* at, ulong frame, bool readOnly = false)
    {
        var protection = readOnly ? LibC.ProtRead : LibC.ProtRead | LibC.ProtWrite;
        var result = LibC.Mmap((nint)at, Frames.Size, protection, LibC.MapShared | LibC.MapFixed,
            _fd, (long)(frame * Frames.Size));
        if (result != (nint)at)
        {
            LibC.Check(-1, "mmap(MAP_FIXED)");
        }
    }

    /// <summary>Unmaps the view and closes the file.</summary>
    public void Dispose()
    {
        if (_fd < 0)
        {
            return;
        }

        LibC.Munmap((nint)View, (nuint)(FrameCount * Frames.Size));
        LibC.Close(_fd);
        _fd = -1;
    }
}
