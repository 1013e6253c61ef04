using Xen.Abi;
using Xen.Nexus.Hypercalls;

namespace Xen.Nexus.Control;

/// <summary><c>SCHEDOP_shutdown</c>: the domain stops with a <c>SHUTDOWN_*</c> reason; on success it does not run again.</summary>
public static class SchedShutdownCall
{
    /// <summary>The operation, named for errors.</summary>
    public static readonly XenOperation SchedopShutdown = new(XenH._HypervisorSchedOp, Sched.SchedopShutdown, "SCHEDOP_shutdown");

    /// <summary>Makes the call with <paramref name="reason"/>.</summary>
    /// <exception cref="XenHypercallException">Xen refused.</exception>
    public static void Shutdown(XenHypercalls hypercalls, uint reason)
    {
        using var arg = hypercalls.Prepare<SchedShutdown>();
        arg.Value.Reason = reason;
        arg.Call(SchedopShutdown);
    }
}
