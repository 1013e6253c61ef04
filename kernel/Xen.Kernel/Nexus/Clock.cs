using Xen.Kernel.Machine;

namespace Xen.Kernel.Nexus;

/// <summary>Xen's system time in ns from vCPU 0's vcpu_time_info and the TSC (the pvclock formula).</summary>
public static unsafe class Clock
{
    /// <summary>Nanoseconds in a second.</summary>
    public const ulong Second = 1_000_000_000;

    public static ulong Now()
    {
        var time = &VcpuInfoRegistration.Vcpu0->Time;
        uint version;
        ulong stamp, system, delta;
        uint mul;
        sbyte shift;
        do
        {
            version = Volatile(&time->Version);
            Cpu.MemoryBarrier();
            stamp = time->TscTimestamp;
            system = time->SystemTime;
            mul = time->TscToSystemMul;
            shift = time->TscShift;
            delta = Cpu.ReadTsc() - stamp;
            Cpu.MemoryBarrier();
        } while ((version & 1) != 0 || version != Volatile(&time->Version));
        delta = shift < 0 ? delta >> -shift : delta << shift;
        // delta * mul >> 32 without 128-bit arithmetic.
        return system + ((delta & 0xffffffff) * mul >> 32) + (delta >> 32) * mul;
    }

    // The barriers are calls the compiler cannot see through, so the version is read again each time.
    private static uint Volatile(uint* p) => *p;
}
