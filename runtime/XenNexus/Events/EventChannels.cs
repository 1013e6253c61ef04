using Xen.Abi;
using Xen.Nexus.Hypercalls;

namespace Xen.Nexus.Events;

/// <summary>
/// The guest's event channels: binding (interdomain, VIRQ, IPI, unbound), a handler per port, masking, sending, and
/// the upcall that serves pending ports. A port stays masked while its handler runs and is unmasked after it (Xen
/// raises it again if it became pending meanwhile); nothing is allocated per event.
/// </summary>
/// <remarks>
/// Setting the mask bit is also how a vCPU claims a port before serving it: only the vCPU whose atomic set found the
/// bit clear runs the handler, so a port that <see cref="BindVcpu"/> moves while another vCPU scans is never handled
/// twice at once. Each vCPU publishes the ports it claims in its own slot (before the claim), which is what
/// <see cref="Mask"/>, <see cref="Unmask"/> and <see cref="Close"/> wait on. The upcall is in EventChannels.Upcall.cs.
/// </remarks>
public sealed unsafe partial class EventChannels : IDisposable
{
    private readonly XenHypercalls hypercalls;
    private readonly IEventChannelAbi abi;
    private readonly TwoLevelEventChannels? twoLevel; // the same object as abi, for direct (inlinable) calls on the upcall path
    private readonly VcpuInfoPages vcpuInfos;
    private readonly EventChannelHandler?[] handlers;
    private readonly PortSet bound;        // ports the nexus bound, with a handler
    private readonly PortSet userMasked;   // bound ports masked by Mask: no handler starts until Unmask
    private readonly PortSet early;        // bound ports delivered before Enable (UnmaskEarly)
    private readonly int[] vcpus;
    private readonly ServingSlot[] slots;  // per vCPU: the ports its upcall claimed
    private volatile bool enabled;

    internal EventChannels(XenHypercalls hypercalls, IEventChannelAbi abi, VcpuInfoPages vcpuInfos)
    {
        this.hypercalls = hypercalls;
        this.abi = abi;
        twoLevel = abi as TwoLevelEventChannels;
        this.vcpuInfos = vcpuInfos;
        handlers = new EventChannelHandler?[abi.MaxPorts];
        bound = new PortSet(abi.MaxPorts);
        userMasked = new PortSet(abi.MaxPorts);
        early = new PortSet(abi.MaxPorts);
        vcpus = new int[abi.MaxPorts];
        slots = new ServingSlot[hypercalls.Hypervisor.VcpuCount];
        for (var vcpu = 0; vcpu < slots.Length; vcpu++)
            slots[vcpu].Vcpu = vcpu;
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
        for (uint port = 0; port < (uint)abi.MaxPorts; port++)
        {
            // An early port is unmasked already, and masked only while an upcall serves it.
            if (bound.Contains(port) && !userMasked.Contains(port) && !early.Contains(port))
                abi.Unmask(port, -1);
        }
    }

    /// <summary>
    /// Delivers bound port <paramref name="port"/> before <see cref="Enable"/>: unmasks it now and after each of its
    /// handlers. For the XenStore port, whose ring the init steps before the unmask step use (OpenBSD's xen(4)
    /// polls that ring while cold instead).
    /// </summary>
    public void UnmaskEarly(uint port)
    {
        CheckBound(port);
        early.Add(port);
        if (!userMasked.Contains(port))
            abi.Unmask(port, -1);
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

    /// <summary>
    /// <c>EVTCHNOP_bind_vcpu</c>: delivers <paramref name="port"/> to <paramref name="vcpu"/> from now on. The port is
    /// masked while it moves (as Linux does), so no vCPU sees it raised before its scan knows the port is its own; an
    /// event meanwhile stays pending and is raised on the new vCPU by the unmask.
    /// </summary>
    /// <exception cref="XenHypercallException">Xen refused (per-vCPU VIRQs and IPIs cannot move).</exception>
    public void BindVcpu(uint port, int vcpu)
    {
        CheckBound(port);
        var wasUnmasked = userMasked.Add(port);
        MaskAndWait(port);
        try
        {
            using (var arg = hypercalls.Prepare<EvtchnBindVcpu>())
            {
                arg.Value.Port = port;
                arg.Value.Vcpu = (uint)vcpu;
                arg.Call(XenOperations.EvtchnopBindVcpu);
            }
            Volatile.Write(ref vcpus[port], vcpu);
            abi.BindToVcpu(port, vcpu);
        }
        finally
        {
            if (wasUnmasked)
                Unmask(port);
        }
    }

    /// <summary>The vCPU <paramref name="port"/> is delivered to.</summary>
    public int VcpuOf(uint port) => Volatile.Read(ref vcpus[CheckBound(port)]);

    /// <summary><c>EVTCHNOP_close</c>: masks the port, closes it and forgets its handler.</summary>
    /// <exception cref="XenHypercallException">Xen refused.</exception>
    public void Close(uint port)
    {
        CheckBound(port);
        var self = Environment.CurrentManagedThreadId;
        abi.Mask(port);
        bound.Remove(port);
        userMasked.Remove(port);
        early.Remove(port);
        SkipInOwnBatch(port, self);
        WaitWhileServed(port, self); // a handler running elsewhere returns first
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
    /// vCPU has returned, until <see cref="Unmask"/>. Events meanwhile stay pending. A handler may mask its own port.
    /// </summary>
    public void Mask(uint port)
    {
        CheckBound(port);
        userMasked.Add(port);
        MaskAndWait(port);
    }

    private void MaskAndWait(uint port)
    {
        var self = Environment.CurrentManagedThreadId;
        SkipInOwnBatch(port, self);
        // A handler that finished before it saw UserMasked may have unmasked the port again: mask until it stays.
        do
        {
            abi.Mask(port);
            WaitWhileServed(port, self);
        }
        while (!abi.IsMasked(port));
    }

    /// <summary>Unmasks <paramref name="port"/>; an event that came while it was masked is delivered.</summary>
    public void Unmask(uint port)
    {
        CheckBound(port);
        userMasked.Remove(port);
        if (ServedByThisThread(port, Environment.CurrentManagedThreadId))
            return; // the handler's return unmasks it
        WaitWhileServed(port, Environment.CurrentManagedThreadId);
        if (enabled || early.Contains(port))
            abi.Unmask(port, -1);
    }

    private uint Established(uint port, int vcpu, EventChannelHandler handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        abi.Setup(port);
        Volatile.Write(ref handlers[port], handler);
        Volatile.Write(ref vcpus[port], vcpu);
        abi.BindToVcpu(port, vcpu);
        userMasked.Remove(port);
        early.Remove(port);
        bound.Add(port);
        if (enabled)
            abi.Unmask(port, -1);
        return port;
    }

    private uint CheckBound(uint port)
    {
        if (!bound.Contains(port))
            throw new ArgumentException($"event channel {port} is not bound by the nexus", nameof(port));
        return port;
    }

    /// <summary>Releases the ABI's bookkeeping (Xen keeps the frames named by <see cref="RetainedFrames"/>).</summary>
    public void Dispose() => abi.Dispose();
}
