namespace Xen.Nexus.Platform;

/// <summary>
/// Xen's page on x86: the unit of guest frame numbers, grant frames and hypercall pages. The public headers leave
/// it to the guest (Linux's <c>XEN_PAGE_SHIFT</c>); this is the one place the nexus states it.
/// </summary>
public static class XenPage
{
    /// <summary><c>XEN_PAGE_SHIFT</c>: a guest-physical address is a frame number shifted left by this much.</summary>
    public const int Shift = Xen.Abi.Io.Ring.XenPageShift;

    /// <summary><c>XEN_PAGE_SIZE</c>, in bytes.</summary>
    public const int Size = 1 << Shift;

    /// <summary>The guest-physical address of frame <paramref name="gfn"/>.</summary>
    public static ulong Address(ulong gfn) => gfn << Shift;
}
