namespace Xen.Nexus.Platform;

/// <summary>
/// The guest's physical memory, in Xen's 4 KiB frames. Frames the nexus allocates are zeroed, contiguous and its own
/// until freed: shared info, grant table frames, hypercall argument pages, ring pages.
/// </summary>
public unsafe interface IGuestMemory
{
    /// <summary>The guest frame number (GFN) of <paramref name="count"/> newly allocated, zeroed, contiguous frames.</summary>
    /// <exception cref="OutOfMemoryException">The guest has no such run of free frames.</exception>
    ulong AllocateFrames(int count);

    /// <summary>Returns frames from <see cref="AllocateFrames"/> to the guest's free memory.</summary>
    /// <exception cref="ArgumentException">They are not a run the guest allocated.</exception>
    void FreeFrames(ulong gfn, int count);

    /// <summary>
    /// A pointer through which this process reads and writes guest-physical bytes
    /// [<paramref name="address"/>, <paramref name="address"/> + <paramref name="length"/>).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The range is not inside the guest's memory.</exception>
    byte* Map(ulong address, nuint length);
}
