using System.Runtime;
using Xen.Kernel.Machine;
using Xen.Kernel.Nexus;
using Xen.Kernel.Pvh;

namespace Xen.Kernel;

/// <summary>The C# entry the PVH stub calls in long mode, identity-mapped, on the boot stack.</summary>
public static class Kernel
{
    [RuntimeExport("XenKernelMain")]
    private static void Main(ulong startInfo)
    {
        DebugConsole.WriteLine("xen-kernel: C# entry");
        StartInfoLog.Check(startInfo);
        LogCpuVendor();

        var cpuidBase = DetectXen.Attach();
        if (cpuidBase == 0)
        {
            Stop(KernelExit.XenNotFound);
            return;
        }
        if (Hypercalls.Attach(cpuidBase))
        {
            Features.Attach();
            Shutdown.PowerOff();
        }
        Stop(KernelExit.Done);
    }

    private static void Stop(KernelExit code)
    {
        DebugConsole.WriteLine("xen-kernel: halting");
        DebugExit.Exit(code);
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
