namespace Xen.Simulator.Events;

/// <summary>How pending and masked are kept for a domain: the 2-level bitmaps in shared_info, or the FIFO event array.</summary>
internal interface IEventChannelAbi
{
    /// <summary>The number of ports the ABI can name.</summary>
    uint MaxPorts { get; }

    /// <summary>Marks the channel pending and, if unmasked, notifies its vCPU (evtchn_port_set_pending).</summary>
    void SetPending(EventChannel channel);

    /// <summary>Clears the channel's pending state (on close).</summary>
    void ClearPending(EventChannel channel);

    /// <summary>EVTCHNOP_unmask: unmasks and, if pending, notifies.</summary>
    void Unmask(EventChannel channel);

    /// <summary>Whether the channel is pending.</summary>
    bool IsPending(EventChannel channel);

    /// <summary>Whether the channel is masked.</summary>
    bool IsMasked(EventChannel channel);
}
