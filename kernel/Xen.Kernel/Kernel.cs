using System.Runtime;
using Xen.Kernel.Console;
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
        Log.WriteLine("xen-kernel: C# entry");
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
        if (!GrantTable.Attach())
            return;
        // The console before the store, as the nexus's ConsoleStep (first of its XenStore phase).
        ConsoleAttach.Attach();
        if (!StoreAttach.Attach())
            return;
        if (!RcLocalKeys.Write() || !DeviceScan.Scan() || !ControlWatch.Attach())
            return;
        ControlWatch.WaitForPoweroff();
        Log.Write("xen0: ");
        Log.WriteDecimal(CallbackVector.Upcalls);
        Log.Write(" upcalls on vector ");
        Log.WriteDecimal(CallbackVector.Vector);
        Log.Write(", ");
        Log.WriteDecimal(EventChannels.Delivered);
        Log.WriteLine(" events");
        if (XenConsole.Dropped != 0)
        {
            Log.Write("xencons0: ");
            Log.WriteDecimal(XenConsole.Dropped);
            Log.WriteLine(" bytes of the log dropped on a full ring");
        }
    }

    private static void Stop(KernelExit code)
    {
        Log.WriteLine("xen-kernel: halting");
        DebugExit.Exit(code);
        Cpu.Halt();
    }

    /// <summary>CPUID leaf 0's vendor string: shows the scan reads the CPU the machine presents.</summary>
    private static void LogCpuVendor()
    {
        var r = Cpu.Cpuid(0);
        Log.Write("cpu0: ");
        Log.WriteRegisterChars(r.Ebx);
        Log.WriteRegisterChars(r.Edx);
        Log.WriteRegisterChars(r.Ecx);
        Log.Write(", max leaf ");
        Log.WriteHex(r.Eax, 8);
        Log.Write('\n');
    }
}
