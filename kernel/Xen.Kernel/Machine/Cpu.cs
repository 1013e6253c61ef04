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

    /// <summary>The first of the stub's zeroed, page-aligned boot pages (<see cref="BootPages"/> hands them out).</summary>
    [MethodImpl(MethodImplOptions.InternalCall)]
    [RuntimeImport("xen_boot_pages")]
    public static extern ulong BootPagesAddress();

    /// <summary>How many boot pages the stub reserves.</summary>
    [MethodImpl(MethodImplOptions.InternalCall)]
    [RuntimeImport("xen_boot_page_count")]
    public static extern int BootPageCount();

    /// <summary>LIDT of a 10-byte limit:base.</summary>
    [MethodImpl(MethodImplOptions.InternalCall)]
    [RuntimeImport("xen_lidt")]
    public static extern void LoadIdt(void* idtr);

    /// <summary>STI, NOP, CLI: the one place an interrupt can arrive (the kernel otherwise runs with interrupts off).</summary>
    [MethodImpl(MethodImplOptions.InternalCall)]
    [RuntimeImport("xen_interrupt_window")]
    public static extern void InterruptWindow();

    [MethodImpl(MethodImplOptions.InternalCall)]
    [RuntimeImport("xen_rdtsc")]
    public static extern ulong ReadTsc();

    /// <summary>XCHG: stores <paramref name="value"/>, returns what was there, atomically.</summary>
    [MethodImpl(MethodImplOptions.InternalCall)]
    [RuntimeImport("xen_xchg64")]
    public static extern ulong Exchange(ulong* location, ulong value);

    /// <summary>LOCK BTR on a bitmap: clears <paramref name="bit"/>, returns whether it was set.</summary>
    [MethodImpl(MethodImplOptions.InternalCall)]
    [RuntimeImport("xen_test_and_clear_bit")]
    public static extern bool TestAndClearBit(ulong* bitmap, uint bit);

    /// <summary>MFENCE: orders the ring's index and data accesses against the peer's.</summary>
    [MethodImpl(MethodImplOptions.InternalCall)]
    [RuntimeImport("xen_memory_barrier")]
    public static extern void MemoryBarrier();

    /// <summary>The stub's entry for CPU exception <paramref name="vector"/> (0..31).</summary>
    [MethodImpl(MethodImplOptions.InternalCall)]
    [RuntimeImport("xen_exception_stub")]
    public static extern ulong ExceptionStub(uint vector);

    /// <summary>The stub's entry for the event-channel upcall vector.</summary>
    [MethodImpl(MethodImplOptions.InternalCall)]
    [RuntimeImport("xen_upcall_stub")]
    public static extern ulong UpcallStub();

    public static CpuidResult Cpuid(uint leaf, uint subleaf = 0)
    {
        CpuidResult r;
        CpuidRaw(leaf, subleaf, &r);
        return r;
    }
}
