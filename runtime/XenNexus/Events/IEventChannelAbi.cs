namespace Xen.Nexus.Events;

/// <summary>The mechanism of one event channel ABI (2-level or FIFO); policy (handlers, masking by users) is <see cref="EventChannels"/>'s.</summary>
internal interface IEventChannelAbi : IDisposable
{
    /// <summary>The ABI's kind.</summary>
    EventChannelAbiKind Kind { get; }

    /// <summary>How many ports the ABI can address.</summary>
    int MaxPorts { get; }

    /// <summary>Makes <paramref name="port"/> usable (FIFO: expands the event array over it) and masks it.</summary>
    void Setup(uint port);

    /// <summary>Notes that <paramref name="port"/> is delivered to <paramref name="vcpu"/> (-1: to none).</summary>
    void BindToVcpu(uint port, int vcpu);

    /// <summary>Sets the port's mask bit.</summary>
    void Mask(uint port);

    /// <summary>Sets the port's mask bit; true when this call found it clear (the caller now serves the port).</summary>
    bool TryClaim(uint port);

    /// <summary>Clears the port's pending bit, atomically and alone.</summary>
    void ClearPending(uint port);

    /// <summary>Whether the port's pending bit is set.</summary>
    bool IsPending(uint port);

    /// <summary>Whether the port's mask bit is set.</summary>
    bool IsMasked(uint port);

    /// <summary>
    /// Clears the mask bit so that a pending event is raised again: in the upcall of <paramref name="upcallVcpu"/>
    /// without a hypercall when it can, else with <c>EVTCHNOP_unmask</c> (-1: not in an upcall).
    /// </summary>
    void Unmask(uint port, int upcallVcpu);

    /// <summary>Masks every port and clears every pending bit (at init).</summary>
    void MaskAll();

    /// <summary>Finds pending, unmasked ports of <paramref name="vcpu"/> and hands each to <paramref name="channels"/>.</summary>
    void HandleEvents(int vcpu, EventChannels channels);
}
