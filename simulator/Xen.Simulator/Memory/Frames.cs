namespace Xen.Simulator.Memory;

/// <summary>Xen's 4 KiB frame (XEN_PAGE_SHIFT of io/ring.h) and the conversions between addresses and frame numbers.</summary>
internal static class Frames
{
    /// <summary>log2 of the frame size.</summary>
    internal const int Shift = Xen.Abi.Io.Ring.XenPageShift;

    /// <summary>Bytes per frame.</summary>
    internal const int Size = 1 << Shift;

    /// <summary>The frame number of a guest-physical address.</summary>
    internal static ulong Of(ulong address) => address >> Shift;

    /// <summary>The guest-physical address of a frame number.</summary>
    internal static ulong Address(ulong frame) => frame << Shift;

    /// <summary>The offset of an address inside its frame.</summary>
    internal static uint Offset(ulong address) => (uint)(address & (Size - 1));
}
