namespace Xen.Kernel.Machine;

/// <summary>
/// QEMU's isa-debug-exit device (`-device isa-debug-exit,iobase=0xf4,iosize=4`): a write of v ends QEMU with exit
/// status v*2+1. On a machine without it (Xen) the write goes nowhere and the caller halts.
/// </summary>
public static class DebugExit
{
    public const ushort Port = 0xf4;

    public static void Exit(KernelExit code) => Cpu.OutLong(Port, (uint)code);
}

/// <summary>What the kernel tells QEMU's isa-debug-exit when it stops (QEMU's status is 2*code+1).</summary>
public enum KernelExit : uint
{
    Done = 0,
    XenNotFound = 1,
}
