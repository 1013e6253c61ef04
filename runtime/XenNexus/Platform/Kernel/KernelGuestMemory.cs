namespace Xen.Nexus.Platform.Kernel;

/// <summary>
/// Guest memory of a freestanding kernel that maps all of guest-physical memory at <c>directMap</c>: frames
/// <c>[firstGfn, firstGfn + count)</c> handed out by a bitmap allocator.
/// </summary>
public sealed unsafe class KernelGuestMemory : IGuestMemory
{
    private readonly byte* directMap;
    private readonly ulong firstGfn;
    private readonly bool[] used;
    private readonly object gate = new();

    /// <summary>Creates the allocator over <paramref name="count"/> free frames from <paramref name="firstGfn"/>.</summary>
    public KernelGuestMemory(byte* directMap, ulong firstGfn, int count)
    {
        this.directMap = directMap;
        this.firstGfn = firstGfn;
        used = new bool[count];
    }

    /// <inheritdoc/>
    public ulong AllocateFrames(int count)
    {
        lock (gate)
        {
            for (var start = 0; start + count <= used.Length; start++)
            {
                if (used.AsSpan(start, count).Contains(true))
                    continue;
                used.AsSpan(start, count).Fill(true);
                new Span<byte>(directMap + XenPage.Address(firstGfn + (ulong)start), count * XenPage.Size).Clear();
                return firstGfn + (ulong)start;
            }
        }
        throw new OutOfMemoryException($"no run of {count} free frames");
    }

    /// <inheritdoc/>
    public void FreeFrames(ulong gfn, int count)
    {
        var start = (long)(gfn - firstGfn);
        if (gfn < firstGfn || start + count > used.Length)
            throw new ArgumentException($"frames 0x{gfn:x}+{count} are not this allocator's");
        lock (gate)
            used.AsSpan((int)start, count).Clear();
    }

    /// <inheritdoc/>
    public byte* Map(ulong address, nuint length) => directMap + address;
}
