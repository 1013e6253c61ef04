using Xen.Abi;
using Xen.Nexus.Hypercalls;

namespace Xen.Nexus.Events;

/// <summary>
/// The guest's event channels: binding (interdomain, VIRQ, IPI, unbound), a handler per port, masking, sending, and
/// the upcall that serves pending ports. A port stays masked while its handler runs and is unmasked after it (Xen
/// raises it again if it became pending meanwhile); nothing is allocated per event.
/// </summary>
public sealed unsafe partial class EventChannels : IDisposable
{
    private readonly XenHypercalls hypercalls;
    private readonly IEventChannelAbi abi;
    private readonly TwoLevelEventChannels? twoLevel; // the same object as abi, for direct (inlinable) calls on the upcall path
    private readonly VcpuInfoPages vcpuInfos;
    private readonly EventChannelHandler?[] handlers;
    private readonly int[] states;
    private readonly int[] vcpus;
    private readonly int[] inUpcall;
    private volatile bool enabled;

    [ThreadStatic]
    private static uint deliveringPortPlusOne;

    internal EventChannels(XenHypercalls hypercalls, IEventChannelAbi abi, VcpuInfoPages vcpuInfos)
    {
        this.hypercalls = hypercalls;
        this.abi = abi;
        twoLevel = abi as TwoLevelEventChannels;
        this.vcpuInfos = vcpuInfos;
        handlers = new EventChannelHandler?[abi.MaxPorts];
        states = new int[abi.MaxPorts];
        vcpus = new int[abi.MaxPorts];
        inUpcall = new int[hypercalls.Hypervisor.VcpuCount];
    }

    /// <summary>The ABI in use.</summary>
    public EventChannelAbiKind Abi => abi.Kind;

    /// <summary>How many ports the ABI addresses.</summary>
    public int MaxPorts => abi.MaxPorts;

    /// <summary>Each vCPU's vcpu_info.</summary>
    public VcpuInfoPages VcpuInfos => vcpuInfos;

    /// <summary>Frames handed to Xen for good (vcpu_info pages, FIFO control blocks and event array).</summary>
    public int RetainedFrames => vcpuInfos.RetainedFrames + (abi is FifoEventChannels fifo ? fifo.RetainedFrames : 0);

    /// <summary>
    /// Whether bound ports are unmasked (the init sequence's unmask step turns it on); before, binding leaves a port
    /// masked, as OpenBSD's xen(4) does until its deferred attach.
    /// </summary>
    public bool Enabled => enabled;

    /// <summary>Unmasks every bound port that no one masked, and from now on unmasks ports as they are bound.</summary>
    public void Enable()
    {
        enabled = true;
        for (uint port = 0; port < (uint)states.Length; port++)
        {
            if ((PortState)Volatile.Read(ref states[port]) == PortState.Bound)
                abi.Unmask(port, -1);
        }
    }

    /// <summary><c>EVTCHNOP_bind_interdomain</c>: connects to <paramref name="remotePort"/> of <paramref name="remoteDomain"/>.</summary>
    /// <returns>The local port, delivered to vCPU 0.</returns>
    /// <exception cref="XenHypercallException">Xen refused.</exception>
    public uint BindInterdomain(ushort remoteDomain, uint remotePort, EventChannelHandler handler)
    {
        uint port;
        using (var arg = hypercalls.Prepare<EvtchnBindInterdomain>())
        {
            arg.Value.RemoteDom = remoteDomain;
            arg.Value.RemotePort = remotePort;
            arg.Call(XenOperations.EvtchnopBindInterdomain);
            port = arg.Value.LocalPort;
        }
        return Established(port, 0, handler);
    }

    /// <summary><c>EVTCHNOP_bind_virq</c>: binds VIRQ <paramref name="virq"/> (<c>VIRQ_*</c>) on <paramref name="vcpu"/>.</summary>
    /// <exception cref="XenHypercallException">Xen refused.</exception>
    public uint BindVirq(uint virq, int vcpu, EventChannelHandler handler)
    {
        uint port;
        using (var arg = hypercalls.Prepare<EvtchnBindVirq>())
        {
            arg.Value.Virq = virq;
            arg.Value.Vcpu = (uint)vcpu;
            arg.Call(XenOperations.EvtchnopBindVirq);
            port = arg.Value.Port;
        }
        return Established(port, vcpu, handler);
    }

    /// <summary><c>EVTCHNOP_bind_ipi</c>: a port that <see cref="Send"/> raises on <paramref name="vcpu"/>.</summary>
    /// <exception cref="XenHypercallException">Xen refused.</exception>
    public uint BindIpi(int vcpu, EventChannelHandler handler)
    {
        uint port;
        using (var arg = hypercalls.Prepare<EvtchnBindIpi>())
        {
            arg.Value.Vcpu = (uint)vcpu;
            arg.Call(XenOperations.EvtchnopBindIpi);
            port = arg.Value.Port;
        }
        return Established(port, vcpu, handler);
    }

    /// <summary><c>EVTCHNOP_alloc_unbound</c>: a port <paramref name="remoteDomain"/> may bind to (a frontend's ring port).</summary>
    /// <exception cref="XenHypercallException">Xen refused.</exception>
    public uint AllocUnbound(ushort remoteDomain, EventChannelHandler handler)
    {
        uint port;
        using (var arg = hypercalls.Prepare<EvtchnAllocUnbound>())
        {
            arg.Value.Dom = (ushort)XenH.DomidSelf;
            arg.Value.RemoteDom = remoteDomain;
            arg.Call(XenOperations.EvtchnopAllocUnbound);
            port = arg.Value.Port;
        }
        return Established(port, 0, handler);
    }

    /// <summary>
    /// Takes over a port Xen or the toolstack bound already (XenStore's, the console's): sets its handler and
    /// delivers it to vCPU 0.
    /// </summary>
    public uint Adopt(uint port, EventChannelHandler handler) => Established(port, 0, handler);

    /// <summary><c>EVTCHNOP_bind_vcpu</c>: delivers <paramref name="port"/> to <paramref name="vcpu"/> from now on.</summary>
    /// <exception cref="XenHypercallException">Xen refused (per-vCPU VIRQs and IPIs cannot move).</exception>
    public void BindVcpu(uint port, int vcpu)
    {
        CheckBound(port);
        using (var arg = hypercalls.Prepare<EvtchnBindVcpu>())
        {
            arg.Value.Port = port;
            arg.Value.Vcpu = (uint)vcpu;
            arg.Call(XenOperations.EvtchnopBindVcpu);
        }
        Volatile.Write(ref vcpus[port], vcpu);
        abi.BindToVcpu(port, vcpu);
    }

    /// <summary>The vCPU <paramref name="port"/> is delivered to.</summary>
    public int VcpuOf(uint port) => Volatile.Read(ref vcpus[CheckBound(port)]);

    /// <summary><c>EVTCHNOP_close</c>: masks the port, closes it and forgets its handler.</summary>
    /// <exception cref="XenHypercallException">Xen refused.</exception>
    public void Close(uint port)
    {
        CheckBound(port);
        abi.Mask(port);
        Volatile.Write(ref states[port], (int)PortState.None);
        abi.BindToVcpu(port, -1);
        Volatile.Write(ref handlers[port], null);
        using var arg = hypercalls.Prepare<EvtchnClose>();
        arg.Value.Port = port;
        arg.Call(XenOperations.EvtchnopClose);
    }

    /// <summary><c>EVTCHNOP_send</c>: notifies the other end of <paramref name="port"/>.</summary>
    /// <exception cref="XenHypercallException">Xen refused.</exception>
    public void Send(uint port)
    {
        using var arg = hypercalls.Prepare<EvtchnSend>();
        arg.Value.Port = port;
        arg.Call(XenOperations.EvtchnopSend);
    }

    /// <summary>
    /// Masks <paramref name="port"/>: once this returns no handler of the port starts, and one that runs on another
    /// vCPU has returned, until <see cref="Unmask"/>. Events meanwhile stay pending.
    /// </summary>
    public void Mask(uint port)
    {
        CheckBound(port);
        var before = (PortState)Interlocked.Or(ref states[port], (int)PortState.UserMasked);
        abi.Mask(port);
        if ((before & PortState.InHandler) != 0 && deliveringPortPlusOne != port + 1)
        {
            var spin = new SpinWait();
            while (((PortState)Volatile.Read(ref states[port]) & PortState.InHandler) != 0)
                spin.SpinOnce();
        }
    }

    /// <summary>Unmasks <paramref name="port"/>; an event that came while it was masked is delivered.</summary>
    public void Unmask(uint port)
    {
        CheckBound(port);
        var before = (PortState)Interlocked.And(ref states[port], ~(int)PortState.UserMasked);
        if ((before & PortState.InHandler) == 0 && enabled)
            abi.Unmask(port, -1); // a running handler unmasks when it returns
    }

    /// <summary>Whether <paramref name="port"/> is pending (set by Xen, not yet served).</summary>
    public bool IsPending(uint port) => abi.IsPending(CheckBound(port));

    /// <summary>
    /// The upcall: the callback vector's interrupt handler on <paramref name="vcpu"/>. Clears
    /// <c>evtchn_upcall_pending</c>, serves pending ports, and repeats while Xen set it again meanwhile.
    /// </summary>
    public void Upcall(int vcpu)
    {
        var info = vcpuInfos[vcpu];
        Volatile.Write(ref inUpcall[vcpu], 1);
        try
        {
            do
            {
                Volatile.Write(ref info->EvtchnUpcallPending, 0);
                Interlocked.MemoryBarrier();
                abi.HandleEvents(vcpu, this);
            }
            while (Volatile.Read(ref info->EvtchnUpcallPending) != 0);
        }
        finally
        {
            Volatile.Write(ref inUpcall[vcpu], 0);
        }
    }

    /// <summary>Serves one pending, unmasked port found by the ABI's scan on <paramref name="vcpu"/>.</summary>
    internal void Deliver(uint port, int vcpu)
    {
        if (twoLevel is { } direct)
            direct.Mask(port);
        else
            abi.Mask(port);
        var before = (PortState)Interlocked.Or(ref states[port], (int)PortState.InHandler);
        var handler = Volatile.Read(ref handlers[port]);
        if ((before & PortState.Bound) == 0 || (before & PortState.UserMasked) != 0 || handler is null)
        {
            // Masked by a user (or not ours): the event stays pending and the port masked until Unmask.
            LeaveHandler(port, vcpu);
            return;
        }
        if (twoLevel is { } twoLevelAbi)
            twoLevelAbi.ClearPending(port);
        else
            abi.ClearPending(port);
        var outer = deliveringPortPlusOne;
        deliveringPortPlusOne = port + 1;
        try
        {
            handler(port, vcpu);
        }
        finally
        {
            deliveringPortPlusOne = outer;
            LeaveHandler(port, vcpu);
        }
    }

    /// <summary>Clears InHandler; unmasks unless a user masked the port (an Unmask that saw InHandler left it to us).</summary>
    private void LeaveHandler(uint port, int vcpu)
    {
        var after = (PortState)Interlocked.And(ref states[port], ~(int)PortState.InHandler) & ~PortState.InHandler;
        if (after == PortState.Bound && enabled)
        {
            if (twoLevel is { } direct)
                direct.Unmask(port, vcpu);
            else
                abi.Unmask(port, vcpu);
        }
    }

    private uint Established(uint port, int vcpu, EventChannelHandler handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        abi.Setup(port);
        Volatile.Write(ref handlers[port], handler);
        Volatile.Write(ref vcpus[port], vcpu);
        abi.BindToVcpu(port, vcpu);
        Volatile.Write(ref states[port], (int)PortState.Bound);
        if (enabled)
            abi.Unmask(port, -1);
        return port;
    }

    private uint CheckBound(uint port)
    {
        if (port >= (uint)states.Length || ((PortState)Volatile.Read(ref states[port]) & PortState.Bound) == 0)
            throw new ArgumentException($"event channel {port} is not bound by the nexus", nameof(port));
        return port;
    }

    /// <summary>Releases the ABI's bookkeeping (Xen keeps the frames named by <see cref="RetainedFrames"/>).</summary>
    public void Dispose() => abi.Dispose();
}
