using System.Runtime.InteropServices;
using Xen.Kernel.Machine;

namespace Xen.Kernel.Nexus;

/// <summary>SCHEDOP_shutdown, as SchedShutdownCall: the domain ends; a return means Xen refused.</summary>
public static unsafe class Shutdown
{
    /// <summary>struct sched_shutdown (sched.h); the test holds its layout to Xen.Abi's.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 4)]
    public struct SchedShutdown
    {
        [FieldOffset(0)] public uint Reason;
    }

    public static void PowerOff()
    {
        SchedShutdown arg;
        arg.Reason = XenNumbers.ShutdownPoweroff;
        Log.WriteLine("xen0: SCHEDOP_shutdown(SHUTDOWN_poweroff)");
        var rc = Hypercalls.Call(XenNumbers.HypervisorSchedOp, XenNumbers.SchedopShutdown, (ulong)&arg);
        Log.Write("xen0: SCHEDOP_shutdown: error ");
        Log.WriteDecimal((uint)-rc);
        Log.Write('\n');
    }
}
