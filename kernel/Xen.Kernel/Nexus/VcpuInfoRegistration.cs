using System.Runtime.InteropServices;
using Xen.Kernel.Machine;

namespace Xen.Kernel.Nexus;

/// <summary>
/// vCPU 0's vcpu_info moved to a boot page of its own with <c>VCPUOP_register_vcpu_info</c>, as VcpuInfoPages;
/// when Xen refuses, it stays in shared info. Xen writes the page from then on, so it is never reused.
/// </summary>
public static unsafe class VcpuInfoRegistration
{
    /// <summary>struct vcpu_register_vcpu_info (vcpu.h); the test holds its layout to Xen.Abi's.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 16)]
    public struct VcpuRegisterVcpuInfo
    {
        [FieldOffset(0)] public ulong Mfn;
        [FieldOffset(8)] public uint Offset;
        [FieldOffset(12)] public uint Rsvd;
    }

    /// <summary>vCPU 0's vcpu_info: the registered one, else shared info's first.</summary>
    public static VcpuInfo* Vcpu0 { get; private set; }

    /// <summary>The frame of the registered vcpu_info, or 0 when it is in shared info.</summary>
    public static ulong Gfn { get; private set; }

    public static void Register()
    {
        Vcpu0 = SharedInfo.Vcpu0;
        var page = BootPages.Allocate();
        VcpuRegisterVcpuInfo arg;
        arg.Mfn = page / BootPages.PageSize;
        arg.Offset = 0;
        arg.Rsvd = 0;
        if (Hypercalls.Failed("VCPUOP_register_vcpu_info", Hypercalls.Call(XenNumbers.HypervisorVcpuOp, XenNumbers.VcpuopRegisterVcpuInfo, 0, (ulong)&arg)))
            return;
        Vcpu0 = (VcpuInfo*)page;
        Gfn = arg.Mfn;
    }
}
