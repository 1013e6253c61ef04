using System.Runtime;
using Xen.Kernel.Control;
using Xen.Kernel.Machine;
using Xen.Kernel.Nexus;
using Xen.Kernel.Pvbus;
using Xen.Kernel.Pvh;
using Xen.Kernel.Store;
using Xen.Kernel.Xenbus;

namespace Xen.Kernel;

/// <summary>The C# entry the PVH stub calls in long mode, identity-mapped, on the boot stack.</summary>
public static class Kernel
{
    [RuntimeExport("XenKernelMain")]
    private static void Main(ulong startInfo)
    {
        DebugConsole.WriteLine("xen-kernel: C# entry");
        Idt.Load();
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
            Attach(Features.Attach());
            Shutdown.PowerOff();
        }
        Stop(KernelExit.Done);
    }

    /// <summary>xen(4)'s order after the features; a step that fails ends the attach (it named its error).</summary>
    private static void Attach(uint features)
    {
        if (!SharedInfo.Attach())
            return;
        CallbackVector.Attach(features);
        EventChannels.Attach();
        if (!GrantTable.Attach() || !StoreAttach.Attach())
            return;
        if (!RcLocalKeys.Write() || !DeviceScan.Scan() || !ControlWatch.Attach())
            return;
        ControlWatch.WaitForPoweroff();
        DebugConsole.Write("xen0: ");
        DebugConsole.WriteDecimal(CallbackVector.Upcalls);
        DebugConsole.Write(" upcalls on vector ");
        DebugConsole.WriteDecimal(CallbackVector.Vector);
        DebugConsole.Write(", ");
        DebugConsole.WriteDecimal(EventChannels.Delivered);
        DebugConsole.WriteLine(" events");
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
