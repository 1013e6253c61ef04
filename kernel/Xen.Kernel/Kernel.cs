using System.Runtime;
using Xen.Kernel.Machine;
using Xen.Kernel.Nexus;

namespace Xen.Kernel;

/// <summary>The C# entry the PVH stub calls in long mode, identity-mapped, on the boot stack.</summary>
public static class Kernel
{
    [RuntimeExport("XenKernelMain")]
    private static void Main(ulong startInfo)
    {
        DebugConsole.Write("xen-kernel: C# entry, hvm_start_info at ");
        DebugConsole.WriteHex(startInfo, 8);
        DebugConsole.Write('\n');
        LogCpuVendor();

        if (DetectXen.Attach() == 0)
        {
            DebugConsole.WriteLine("xen-kernel: halting");
            DebugExit.Exit(KernelExit.XenNotFound);
            Cpu.Halt();
        }
        DebugConsole.WriteLine("xen-kernel: halting");
        DebugExit.Exit(KernelExit.Done);
        Cpu.Halt();
    }

    /// <summary>CPUID leaf 0's vendor string: shows the scan reads the CPU the machine presents.</summary>
    private static void LogCpuVendor()
    {
        var r = Cpu.Cpuid(0);
        DebugConsole.Write("cpu0: ");
        DebugConsole.WriteRegisterChars(r.Ebx);
        DebugConsole.WriteRegisterChars(r.Edx);
        DebugConsole.WriteRegisterChars(r.Ecx);
        DebugConsole.Write(", max leaf ");
        DebugConsole.WriteHex(r.Eax, 8);
        DebugConsole.Write('\n');
    }
}
