namespace Xen.Simulator.Memory;

/// <summary>
/// A domain's guest-physical memory: a memfd of its maximum memory and this process's mapping of it, in which Xen's
/// pages (shared info, grant table frames) and granted foreign frames are placed over guest frames with MAP_FIXED,
/// as the p2m would place them.
/// </summary>
public sealed unsafe class GuestPhysicalMemory : IGuestMemory, IDisposable
{
    private readonly MemFd _file;
    private readonly FrameAllocator _allocator;
    private readonly Dictionary<ulong, MachineFrame> _placed = new();
    private readonly object _lock = new();

    internal GuestPhysicalMemory(string name, ulong frames)
    {
        _file = MemFd.Create(name, frames);
        FrameCount = frames;
        _allocator = new FrameAllocator(frames);
        Base = MapView();
    }

    /// <summary>How many frames the domain has.</summary>
    public ulong FrameCount { get; }

    /// <summary>The memfd descriptor backing the guest's own frames (another process can map granted frames from it).</summary>
    public int Descriptor => _file.Descriptor;

    internal byte* Base { get; }

    internal MemFd File => _file;

    /// <inheritdoc/>
    public ulong AllocateFrames(int count)
    {
        var first = _allocator.Allocate(count);
        new Span<byte>(Base + Frames.Address(first), count * Frames.Size).Clear();
        return first;
    }

    /// <inheritdoc/>
    public void FreeFrames(ulong gfn, int count) => _allocator.Free(gfn, count);

    /// <inheritdoc/>
    public byte* Map(ulong address, nuint length)
    {
        if (!Contains(address, length))
        {
            throw new ArgumentOutOfRangeException(nameof(address),
                $"guest-physical range {address:x}+{length:x} is outside the guest's {FrameCount} frames");
        }

        return Base + address;
    }

    /// <summary>Whether [address, address + length) is inside guest memory.</summary>
    internal bool Contains(ulong address, nuint length) =>
        address <= Frames.Address(FrameCount) && (ulong)length <= Frames.Address(FrameCount) - address;

    /// <summary>A pointer to a <typeparamref name="T"/> at a guest address, or null (Xen's -EFAULT) outside memory.</summary>
    internal T* Pointer<T>(ulong address) where T : unmanaged =>
        Contains(address, (nuint)sizeof(T)) ? (T*)(Base + address) : null;

    /// <summary>What backs guest frame <paramref name="gfn"/>: a frame placed over it, else its own.</summary>
    internal MachineFrame Backing(ulong gfn)
    {
        lock (_lock)
        {
            return _placed.TryGetValue(gfn, out var placed) ? placed : new MachineFrame(_file, gfn);
        }
    }

    /// <summary>Places <paramref name="frame"/> at guest frame <paramref name="gfn"/> (XENMEM_add_to_physmap, a grant map).</summary>
    internal void Place(ulong gfn, MachineFrame frame, bool readOnly = false)
    {
        lock (_lock)
        {
            frame.File.MapFrameAt(Base + Frames.Address(gfn), frame.Frame, readOnly);
            _placed[gfn] = frame;
        }
    }

    /// <summary>Puts the guest's own frame back at <paramref name="gfn"/>.</summary>
    internal void Restore(ulong gfn)
    {
        lock (_lock)
        {
            _file.MapFrameAt(Base + Frames.Address(gfn), gfn);
            _placed.Remove(gfn);
        }
    }

    private byte* MapView()
    {
        var length = (nuint)Frames.Address(FrameCount);
        var view = Native.LibC.Mmap(0, length, Native.LibC.ProtRead | Native.LibC.ProtWrite, Native.LibC.MapShared,
            _file.Descriptor, 0);
        if (view == -1)
        {
            Native.LibC.Check(-1, "mmap");
        }

        return (byte*)view;
    }

    /// <summary>Unmaps the guest's memory and closes its memfd.</summary>
    public void Dispose()
    {
        Native.LibC.Munmap((nint)Base, (nuint)Frames.Address(FrameCount));
        _file.Dispose();
    }
}
