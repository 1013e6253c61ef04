using System.Runtime;
using System.Runtime.CompilerServices;

namespace Xen.Kernel.Machine;

/// <summary>One CPUID leaf's registers.</summary>
public struct CpuidResult
{
    public uint Eax, Ebx, Ecx, Edx;
}

/// <summary>The instructions C# cannot say, as the helpers of Boot/pvh.S (called directly, no transition).</summary>
public static unsafe class Cpu
{
    [MethodImpl(MethodImplOptions.InternalCall)]
    [RuntimeImport("xen_cpuid")]
    private static extern void CpuidRaw(uint leaf, uint subleaf, CpuidResult* result);

    [MethodImpl(MethodImplOptions.InternalCall)]
    [RuntimeImport("xen_outb")]
    public static extern void OutByte(ushort port, byte value);

    [MethodImpl(MethodImplOptions.InternalCall)]
    [RuntimeImport("xen_outl")]
    public static extern void OutLong(ushort port, uint value);

    [MethodImpl(MethodImplOptions.InternalCall)]
    [RuntimeImport("xen_wrmsr")]
    public static extern void WriteMsr(uint msr, ulong value);

    /// <summary>The stub's page-aligned, zeroed page for Xen's hypercall stubs.</summary>
    [MethodImpl(MethodImplOptions.InternalCall)]
    [RuntimeImport("xen_hypercall_page_address")]
    public static extern ulong HypercallPageAddress();

    /// <summary>Calls the stub at <paramref name="entry"/> with Xen's hypercall registers loaded.</summary>
    [MethodImpl(MethodImplOptions.InternalCall)]
    [RuntimeImport("xen_hypercall")]
    public static extern long Hypercall(ulong entry, ulong a1, ulong a2, ulong a3, ulong a4, ulong a5);

    /// <summary>Interrupts off and HLT for good.</summary>
    [MethodImpl(MethodImplOptions.InternalCall)]
    [RuntimeImport("xen_halt")]
    public static extern void Halt();

    public static CpuidResult Cpuid(uint leaf, uint subleaf = 0)
    {
        CpuidResult r;
        CpuidRaw(leaf, subleaf, &r);
        return r;
    }
}
