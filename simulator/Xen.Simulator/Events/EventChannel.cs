namespace Xen.Simulator.Events;

/// <summary>One port of a domain's event channel table: its state, peer and the vCPU it notifies.</summary>
internal sealed class EventChannel
{
    internal EventChannel(uint port) => Port = port;

    /// <summary>The port number.</summary>
    internal uint Port { get; }

    internal ChannelState State { get; set; }

    /// <summary>Unbound: the domain allowed to bind to it.</summary>
    internal ushort UnboundRemoteDomain { get; set; }

    /// <summary>Interdomain: the peer domain.</summary>
    internal SimulatedDomain? RemoteDomain { get; set; }

    /// <summary>Interdomain: the peer port.</summary>
    internal uint RemotePort { get; set; }

    /// <summary>Virq: the virtual IRQ.</summary>
    internal uint Virq { get; set; }

    /// <summary>The vCPU its events are delivered to (notify_vcpu_id).</summary>
    internal int NotifyVcpu { get; set; }

    /// <summary>FIFO priority (EVTCHN_FIFO_PRIORITY_DEFAULT until set).</summary>
    internal uint Priority { get; set; } = EventChannel.DefaultPriority;

    internal const uint DefaultPriority = Evtchn.EvtchnFifoPriorityDefault;

    /// <summary>Back to closed (evtchn_free).</summary>
    internal void Free()
    {
        State = ChannelState.Free;
        RemoteDomain = null;
        RemotePort = 0;
        UnboundRemoteDomain = 0;
        Virq = 0;
        NotifyVcpu = 0;
        Priority = DefaultPriority;
    }
}
