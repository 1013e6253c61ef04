namespace Xen.Simulator.Events;

/// <summary>Which VIRQs are per-vCPU and which global (xen.h's classification; Xen's virq_is_global on x86).</summary>
internal static class Virqs
{
    /// <summary>Whether <paramref name="virq"/> is global (bound on vCPU 0, movable with EVTCHNOP_bind_vcpu).</summary>
    internal static bool IsGlobal(uint virq) => virq switch
    {
        XenConst.VirqTimer or XenConst.VirqDebug or XenConst.VirqXenoprof or XenConst.VirqXenpmu => false,
        _ => true,
    };
}
