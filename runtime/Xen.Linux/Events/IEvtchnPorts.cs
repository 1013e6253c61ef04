namespace Xen.Linux.Events;

/// <summary>What the event channel service needs of <c>/dev/xen/evtchn</c>; a seam for tests of the reader loop.</summary>
internal interface IEvtchnPorts : IDisposable
{
    /// <summary>The device path, for messages.</summary>
    string Name { get; }

    /// <summary><c>IOCTL_EVTCHN_BIND_UNBOUND_PORT</c>.</summary>
    uint BindUnbound(ushort remoteDomain);

    /// <summary><c>IOCTL_EVTCHN_BIND_INTERDOMAIN</c>.</summary>
    uint BindInterdomain(ushort remoteDomain, uint remotePort);

    /// <summary><c>IOCTL_EVTCHN_BIND_VIRQ</c>.</summary>
    uint BindVirq(uint virq);

    /// <summary><c>IOCTL_EVTCHN_UNBIND</c>.</summary>
    void Unbind(uint port);

    /// <summary><c>IOCTL_EVTCHN_NOTIFY</c>.</summary>
    void Notify(uint port);

    /// <summary>
    /// Waits up to <paramref name="timeoutMilliseconds"/> and reads the ports that fired into <paramref name="ports"/>;
    /// the kernel masks each until it is written back.
    /// </summary>
    /// <returns>How many ports; 0 when none fired in time; -1 when the kernel's ring overflowed (events were lost).</returns>
    int ReadPending(Span<uint> ports, int timeoutMilliseconds);

    /// <summary>Unmasks <paramref name="ports"/> (a write of their numbers).</summary>
    void Unmask(ReadOnlySpan<uint> ports);

    /// <summary><c>IOCTL_EVTCHN_RESET</c>: empties the kernel's ring of fired ports and clears its overflow.</summary>
    void Reset();
}
