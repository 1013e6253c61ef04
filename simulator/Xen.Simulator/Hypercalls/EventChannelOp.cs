using Xen.Simulator.Events;

namespace Xen.Simulator.Hypercalls;

/// <summary>
/// __HYPERVISOR_event_channel_op: the EVTCHNOP_* sub-operations with Xen's checks and errno values
/// (common/event_channel.c); FIFO set-up is in <see cref="FifoControlOp"/>.
/// </summary>
internal static unsafe class EventChannelOp
{
    internal static long Handle(HypercallContext call, ulong cmd, ulong arg)
    {
        lock (call.Domain.Lock)
        {
            return cmd switch
            {
                Evtchn.EvtchnopAllocUnbound => With<EvtchnAllocUnbound>(call, arg, AllocUnbound),
                Evtchn.EvtchnopBindInterdomain => With<EvtchnBindInterdomain>(call, arg, BindInterdomain),
                Evtchn.EvtchnopBindVirq => With<EvtchnBindVirq>(call, arg, BindVirq),
                Evtchn.EvtchnopBindIpi => With<EvtchnBindIpi>(call, arg, BindIpi),
                Evtchn.EvtchnopBindVcpu => With<EvtchnBindVcpu>(call, arg, BindVcpu),
                Evtchn.EvtchnopSend => With<EvtchnSend>(call, arg, Send),
                Evtchn.EvtchnopClose => With<EvtchnClose>(call, arg, Close),
                Evtchn.EvtchnopUnmask => With<EvtchnUnmask>(call, arg, Unmask),
                Evtchn.EvtchnopStatus => With<EvtchnStatus>(call, arg, Status),
                Evtchn.EvtchnopReset => With<EvtchnReset>(call, arg, Reset),
                Evtchn.EvtchnopInitControl => With<EvtchnInitControl>(call, arg, FifoControlOp.InitControl),
                Evtchn.EvtchnopExpandArray => With<EvtchnExpandArray>(call, arg, FifoControlOp.ExpandArray),
                Evtchn.EvtchnopSetPriority => With<EvtchnSetPriority>(call, arg, FifoControlOp.SetPriority),
                _ => Errno.NoSys,
            };
        }
    }

    internal delegate long Operation<T>(HypercallContext call, T* op) where T : unmanaged;

    private static long With<T>(HypercallContext call, ulong arg, Operation<T> operation) where T : unmanaged
    {
        var op = call.Memory.Pointer<T>(arg);
        return op is null ? Errno.Fault : operation(call, op);
    }

    private static long AllocUnbound(HypercallContext call, EvtchnAllocUnbound* op)
    {
        var rc = call.Target(op->Dom, out var domain);
        if (rc != 0)
        {
            return rc;
        }

        var port = domain!.Events.AllocatePort(out var channel);
        if (port < 0)
        {
            return port;
        }

        channel!.State = ChannelState.Unbound;
        channel.UnboundRemoteDomain = op->RemoteDom == XenConst.DomidSelf ? call.Domain.DomainId : op->RemoteDom;
        op->Port = (uint)port;
        return 0;
    }

    private static long BindInterdomain(HypercallContext call, EvtchnBindInterdomain* op)
    {
        var local = call.Domain;
        var rc = call.Peer(op->RemoteDom, out var remote);
        if (rc != 0)
        {
            return rc;
        }

        if (!remote!.Events.IsValid(op->RemotePort))
        {
            return Errno.Invalid;
        }

        var remoteChannel = remote.Events[op->RemotePort];
        if (remoteChannel.State != ChannelState.Unbound || remoteChannel.UnboundRemoteDomain != local.DomainId)
        {
            return Errno.Invalid;
        }

        var port = local.Events.AllocatePort(out var channel);
        if (port < 0)
        {
            return port;
        }

        channel!.State = ChannelState.Interdomain;
        channel.RemoteDomain = remote;
        channel.RemotePort = remoteChannel.Port;
        remoteChannel.State = ChannelState.Interdomain;
        remoteChannel.RemoteDomain = local;
        remoteChannel.RemotePort = (uint)port;

        // The peer may have signalled before we bound: Xen always sets the new local port pending.
        local.Events.Abi.SetPending(channel);
        op->LocalPort = (uint)port;
        return 0;
    }

    private static long BindVirq(HypercallContext call, EvtchnBindVirq* op)
    {
        var domain = call.Domain;
        if (op->Virq >= XenConst.NrVirqs)
        {
            return Errno.Invalid;
        }

        if (Virqs.IsGlobal(op->Virq) && op->Vcpu != 0)
        {
            return Errno.Invalid;
        }

        if (!domain.IsValidVcpu(op->Vcpu))
        {
            return Errno.NoEntry;
        }

        var vcpu = domain.Vcpu((int)op->Vcpu);
        if (vcpu.VirqPorts[op->Virq] != 0)
        {
            return Errno.Exists;
        }

        var port = domain.Events.AllocatePort(out var channel);
        if (port < 0)
        {
            return port;
        }

        channel!.State = ChannelState.Virq;
        channel.Virq = op->Virq;
        channel.NotifyVcpu = (int)op->Vcpu;
        vcpu.VirqPorts[op->Virq] = (uint)port;
        op->Port = (uint)port;
        return 0;
    }

    private static long BindIpi(HypercallContext call, EvtchnBindIpi* op)
    {
        var domain = call.Domain;
        if (!domain.IsValidVcpu(op->Vcpu))
        {
            return Errno.NoEntry;
        }

        var port = domain.Events.AllocatePort(out var channel);
        if (port < 0)
        {
            return port;
        }

        channel!.State = ChannelState.Ipi;
        channel.NotifyVcpu = (int)op->Vcpu;
        op->Port = (uint)port;
        return 0;
    }

    private static long BindVcpu(HypercallContext call, EvtchnBindVcpu* op)
    {
        var domain = call.Domain;
        if (!domain.IsValidVcpu(op->Vcpu))
        {
            return Errno.NoEntry;
        }

        if (!domain.Events.IsValid(op->Port))
        {
            return Errno.Invalid;
        }

        var channel = domain.Events[op->Port];
        switch (channel.State)
        {
            case ChannelState.Virq when Virqs.IsGlobal(channel.Virq):
            case ChannelState.Unbound:
            case ChannelState.Interdomain:
                channel.NotifyVcpu = (int)op->Vcpu;
                return 0;
            default:
                return Errno.Invalid;
        }
    }

    private static long Send(HypercallContext call, EvtchnSend* op)
    {
        var domain = call.Domain;
        if (!domain.Events.IsValid(op->Port))
        {
            return Errno.Invalid;
        }

        var channel = domain.Events[op->Port];
        switch (channel.State)
        {
            case ChannelState.Interdomain:
                var remote = channel.RemoteDomain!;
                remote.Events.Abi.SetPending(remote.Events[channel.RemotePort]);
                return 0;
            case ChannelState.Ipi:
                domain.Events.Abi.SetPending(channel);
                return 0;
            case ChannelState.Unbound:
                return 0;
            default:
                return Errno.Invalid;
        }
    }

    private static long Close(HypercallContext call, EvtchnClose* op) => ClosePort(call.Domain, op->Port);

    /// <summary>evtchn_close: the peer of an interdomain channel goes back to unbound, awaiting us.</summary>
    internal static long ClosePort(SimulatedDomain domain, uint port)
    {
        if (!domain.Events.IsValid(port))
        {
            return Errno.Invalid;
        }

        var channel = domain.Events[port];
        switch (channel.State)
        {
            case ChannelState.Free:
            case ChannelState.Reserved:
                return Errno.Invalid;
            case ChannelState.Virq:
                domain.Vcpu(Virqs.IsGlobal(channel.Virq) ? 0 : channel.NotifyVcpu).VirqPorts[channel.Virq] = 0;
                break;
            case ChannelState.Interdomain:
                var remote = channel.RemoteDomain!.Events[channel.RemotePort];
                remote.State = ChannelState.Unbound;
                remote.UnboundRemoteDomain = domain.DomainId;
                remote.RemoteDomain = null;
                remote.RemotePort = 0;
                break;
        }

        domain.Events.Abi.ClearPending(channel);
        channel.Free();
        return 0;
    }

    private static long Unmask(HypercallContext call, EvtchnUnmask* op)
    {
        var domain = call.Domain;
        if (!domain.Events.IsValid(op->Port))
        {
            return Errno.Invalid;
        }

        domain.Events.Abi.Unmask(domain.Events[op->Port]);
        return 0;
    }

    private static long Status(HypercallContext call, EvtchnStatus* op)
    {
        // evtchn_status checks the port before XSM: a guest asking about another domain's port out of range gets
        // -EINVAL, not -EPERM (real Xen 4.17 in the conformance suite's guest run).
        var domain = op->Dom == XenConst.DomidSelf ? call.Domain : call.Domain.Xen.Domain(op->Dom);
        if (domain is null)
        {
            return Errno.NoSuchDomain;
        }

        if (!domain.Events.IsValid(op->Port))
        {
            return Errno.Invalid;
        }

        var rc = call.Target(op->Dom, out _);
        if (rc != 0)
        {
            return rc;
        }

        var channel = domain.Events[op->Port];
        op->U = default;
        switch (channel.State)
        {
            case ChannelState.Free:
            case ChannelState.Reserved:
                op->Status = Evtchn.EvtchnstatClosed;
                break;
            case ChannelState.Unbound:
                op->Status = Evtchn.EvtchnstatUnbound;
                op->U.Unbound.Dom = channel.UnboundRemoteDomain;
                break;
            case ChannelState.Interdomain:
                op->Status = Evtchn.EvtchnstatInterdomain;
                op->U.Interdomain.Dom = channel.RemoteDomain!.DomainId;
                op->U.Interdomain.Port = channel.RemotePort;
                break;
            case ChannelState.Virq:
                op->Status = Evtchn.EvtchnstatVirq;
                op->U.Virq = channel.Virq;
                break;
            case ChannelState.Ipi:
                op->Status = Evtchn.EvtchnstatIpi;
                break;
        }

        op->Vcpu = (uint)channel.NotifyVcpu;
        return 0;
    }

    /// <summary>EVTCHNOP_reset: every port closed, and a FIFO domain back to the 2-level ABI.</summary>
    private static long Reset(HypercallContext call, EvtchnReset* op)
    {
        var rc = call.Target(op->Dom, out var domain);
        if (rc != 0)
        {
            return rc;
        }

        foreach (var channel in domain!.Events.All.ToArray())
        {
            if (channel.State is not (ChannelState.Free or ChannelState.Reserved))
            {
                ClosePort(domain, channel.Port);
            }
        }

        FifoControlOp.Destroy(domain);
        return 0;
    }
}
