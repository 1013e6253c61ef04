using System.Runtime.InteropServices;
using Xen.Kernel.Machine;

namespace Xen.Kernel.Nexus;

/// <summary>
/// Shared info mapped at a boot page, as SharedInfoStep: <c>XENMEM_add_to_physmap</c> with
/// <c>XENMAPSPACE_shared_info</c> puts Xen's page at that frame.
/// </summary>
public static unsafe class SharedInfo
{
    /// <summary>struct xen_add_to_physmap (memory.h); the test holds its layout to Xen.Abi's.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 24)]
    public struct XenAddToPhysmap
    {
        [FieldOffset(0)] public ushort Domid;
        [FieldOffset(2)] public ushort Size;
        [FieldOffset(4)] public uint Space;
        [FieldOffset(8)] public ulong Idx;
        [FieldOffset(16)] public ulong Gpfn;
    }

    /// <summary>The page, once mapped (identity-mapped, so also its guest-physical address); 0 before.</summary>
    public static ulong Page { get; private set; }

    /// <summary>vCPU 0's vcpu_info, the first of shared info's.</summary>
    public static VcpuInfo* Vcpu0 => (VcpuInfo*)Page;

    /// <summary>shared_info.evtchn_pending, 64 words.</summary>
    public static ulong* EvtchnPending => (ulong*)(Page + SharedInfoLayout.EvtchnPendingOffset);

    /// <summary>shared_info.evtchn_mask, 64 words.</summary>
    public static ulong* EvtchnMask => (ulong*)(Page + SharedInfoLayout.EvtchnMaskOffset);

    public static bool Attach()
    {
        var page = BootPages.Allocate();
        if (!AddToPhysmap(XenNumbers.XenmapspaceSharedInfo, 0, page / BootPages.PageSize, "XENMEM_add_to_physmap(shared info)"))
            return false;
        Page = page;
        Log.Write("xen0: shared info at gfn ");
        Log.WriteHexShort(page / BootPages.PageSize);
        Log.Write('\n');
        return true;
    }

    /// <summary><c>XENMEM_add_to_physmap</c> of one frame of <paramref name="space"/> at <paramref name="gfn"/>.</summary>
    public static bool AddToPhysmap(uint space, ulong idx, ulong gfn, string operation)
    {
        XenAddToPhysmap arg;
        arg.Domid = (ushort)XenNumbers.DomidSelf;
        arg.Size = 0;
        arg.Space = space;
        arg.Idx = idx;
        arg.Gpfn = gfn;
        return !Hypercalls.Failed(operation, Hypercalls.Call(XenNumbers.HypervisorMemoryOp, XenNumbers.XenmemAddToPhysmap, (ulong)&arg));
    }
}

/// <summary>Where shared info's event bitmaps are (struct shared_info, x86_64); the test holds them to Xen.Abi's.</summary>
public static class SharedInfoLayout
{
    /// <summary>offsetof(struct shared_info, evtchn_pending)</summary>
    public const uint EvtchnPendingOffset = 2048;

    /// <summary>offsetof(struct shared_info, evtchn_mask)</summary>
    public const uint EvtchnMaskOffset = 2560;

    /// <summary>Bits in an xen_ulong_t, the 2-level ABI's word: 64 selector bits of 64 ports each.</summary>
    public const uint BitsPerWord = 64;
}

/// <summary>struct vcpu_info (xen.h, x86_64), as far as the kernel reads it; the test holds the offsets to Xen.Abi's.</summary>
[StructLayout(LayoutKind.Explicit, Size = 64)]
public struct VcpuInfo
{
    [FieldOffset(0)] public byte EvtchnUpcallPending;
    [FieldOffset(1)] public byte EvtchnUpcallMask;
    [FieldOffset(8)] public ulong EvtchnPendingSel;
    [FieldOffset(32)] public VcpuTimeInfo Time;
}

/// <summary>struct vcpu_time_info (xen.h); the test holds the offsets to Xen.Abi's.</summary>
[StructLayout(LayoutKind.Explicit, Size = 32)]
public struct VcpuTimeInfo
{
    [FieldOffset(0)] public uint Version;
    [FieldOffset(8)] public ulong TscTimestamp;
    [FieldOffset(16)] public ulong SystemTime;
    [FieldOffset(24)] public uint TscToSystemMul;
    [FieldOffset(28)] public sbyte TscShift;
}
