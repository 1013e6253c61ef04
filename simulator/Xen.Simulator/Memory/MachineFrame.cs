namespace Xen.Simulator.Memory;

/// <summary>A frame of some memory file: what a guest frame number is backed by (Xen's MFN, here a file and frame).</summary>
internal readonly record struct MachineFrame(MemFd File, ulong Frame)
{
    /// <summary>The frame's bytes in the file's own view.</summary>
    internal unsafe byte* Pointer => File.View + Frame * Frames.Size;
}
