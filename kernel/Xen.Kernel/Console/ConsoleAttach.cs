using Xen.Kernel.Machine;
using Xen.Kernel.Nexus;

namespace Xen.Kernel.Console;

/// <summary>
/// The console step, as the console driver's ConsoleStep: the page and port the toolstack gave the guest
/// (<c>HVM_PARAM_CONSOLE_PFN</c>, <c>HVM_PARAM_CONSOLE_EVTCHN</c>; libxl sets both for a PVH guest, whose start
/// info has no console fields), the port unmasked (so the scan clears xenconsoled's notifications and a wait on a
/// full ring sleeps), then the log goes to the ring too. Without them the log stays on the debug port.
/// </summary>
public static unsafe class ConsoleAttach
{
    public static void Attach()
    {
        if (!HvmParams.Get(XenNumbers.HvmParamConsolePfn, out var gfn, "HVMOP_get_param(HVM_PARAM_CONSOLE_PFN)")
            || !HvmParams.Get(XenNumbers.HvmParamConsoleEvtchn, out var port, "HVMOP_get_param(HVM_PARAM_CONSOLE_EVTCHN)"))
            return;
        if (gfn == 0 || port == 0)
        {
            Log.WriteLine("xencons0: no console page");
            return;
        }
        // The identity map ends at 4 GiB.
        if (port >= EventChannels.MaxPorts || gfn >= (1UL << 20))
        {
            Log.Write("xencons0: unusable console (HVM_PARAM_CONSOLE_PFN ");
            Log.WriteHexShort(gfn);
            Log.Write(", HVM_PARAM_CONSOLE_EVTCHN ");
            Log.WriteHexShort(port);
            Log.WriteLine(")");
            return;
        }
        if (!EventChannels.Unmask((uint)port))
            return;
        XenConsole.Attach(gfn * BootPages.PageSize, (uint)port, (byte*)BootPages.Allocate());
        Log.Write("xencons0 at xen0: gfn ");
        Log.WriteHexShort(gfn);
        Log.Write(" port ");
        Log.WriteDecimal((uint)port);
        Log.Write('\n');
    }
}
