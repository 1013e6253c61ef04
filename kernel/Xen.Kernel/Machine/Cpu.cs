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
