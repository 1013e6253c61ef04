namespace Xen.Simulator.Events;

/// <summary>An event channel's state, as Xen's ECS_* (xen/include/xen/sched.h); EVTCHNOP_status maps it to EVTCHNSTAT_*.</summary>
internal enum ChannelState
{
    /// <summary>Closed: free for allocation.</summary>
    Free,
    /// <summary>Port 0, never allocated.</summary>
    Reserved,
    /// <summary>Waiting for a remote domain's bind_interdomain.</summary>
    Unbound,
    /// <summary>Connected to a port of another (or the same) domain.</summary>
    Interdomain,
    /// <summary>Bound to a virtual IRQ.</summary>
    Virq,
    /// <summary>Bound to an inter-processor interrupt.</summary>
    Ipi,
}
