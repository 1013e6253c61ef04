namespace Xen.Nexus.Events;

/// <summary>Which event channel ABI the nexus uses.</summary>
public enum EventChannelAbiKind
{
    /// <summary>FIFO when Xen offers it (<c>EVTCHNOP_init_control</c> succeeds), else 2-level.</summary>
    Auto,

    /// <summary>The 2-level ABI: pending and mask bitmaps in shared info, a selector word per vCPU.</summary>
    TwoLevel,

    /// <summary>The FIFO ABI: a control block per vCPU, an event array of words, 16 priority queues.</summary>
    Fifo,
}
