using System.Runtime.InteropServices;

namespace Xen.Kernel.Machine;

/// <summary>
/// The interrupt descriptor table on a boot page: the CPU exceptions go to the stub's fault path (named on the
/// console, then halt), one vector to the upcall; every other vector is absent.
/// </summary>
public static unsafe class Idt
{
    private const int Vectors = 256;
    private const int ExceptionVectors = 32;
    private const int GateSize = 16;

    /// <summary>The entry stub's 64-bit code selector (its GDT's second entry).</summary>
    private const ushort CodeSelector = 8;

    /// <summary>Present, DPL 0, 64-bit interrupt gate (interrupts stay off in the handler).</summary>
    private const byte InterruptGate = 0x8e;

    private static ulong s_table;

    /// <summary>Builds the table with the exception gates and loads it.</summary>
    public static void Load()
    {
        s_table = BootPages.Allocate();
        for (uint v = 0; v < ExceptionVectors; v++)
            SetGate(v, Cpu.ExceptionStub(v));
        Idtr idtr;
        idtr.Limit = Vectors * GateSize - 1;
        idtr.Base = s_table;
        Cpu.LoadIdt(&idtr);
    }

    /// <summary>Points <paramref name="vector"/> at <paramref name="handler"/>.</summary>
    public static void SetGate(uint vector, ulong handler)
    {
        var gate = (byte*)(s_table + vector * GateSize);
        *(ushort*)gate = (ushort)handler;
        *(ushort*)(gate + 2) = CodeSelector;
        gate[4] = 0;
        gate[5] = InterruptGate;
        *(ushort*)(gate + 6) = (ushort)(handler >> 16);
        *(uint*)(gate + 8) = (uint)(handler >> 32);
        *(uint*)(gate + 12) = 0;
    }
}

/// <summary>LIDT's operand: the table's limit, then its base.</summary>
[StructLayout(LayoutKind.Explicit, Size = 10)]
internal struct Idtr
{
    [FieldOffset(0)] public ushort Limit;
    [FieldOffset(2)] public ulong Base;
}
