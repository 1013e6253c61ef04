using System.Runtime;

namespace Xen.Kernel.Machine;

/// <summary>Where the IDT's CPU exception gates end: the vector and the faulting address named, then halt.</summary>
public static unsafe class Faults
{
    /// <summary>The vectors for which the CPU pushes an error code below the return address (#DF, #TS..#PF, #AC, #CP).</summary>
    private const uint ErrorCodeVectors = (1u << 8) | (1u << 10) | (1u << 11) | (1u << 12) | (1u << 13) | (1u << 14) | (1u << 17) | (1u << 21);

    [RuntimeExport("XenKernelFault")]
    private static void Fault(ulong vector, ulong* frame)
    {
        Log.PortOnly();
        var hasError = vector < 32 && (ErrorCodeVectors & (1u << (int)vector)) != 0;
        Log.Write("xen-kernel: fatal: CPU exception ");
        Log.WriteDecimal((uint)vector);
        Log.Write(" at rip ");
        Log.WriteHexShort(frame[hasError ? 1 : 0]);
        if (hasError)
        {
            Log.Write(", error ");
            Log.WriteHexShort(frame[0]);
        }
        Log.Write('\n');
        Cpu.Halt();
    }
}
