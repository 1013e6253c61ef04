namespace Xen.Conformance.Cases;

/// <summary>EVTCHNOP_* calls the cases make, each returning Xen's answer unchanged.</summary>
internal static class Channels
{
    /// <summary>A domain id no domain has (the last below DOMID_FIRST_RESERVED).</summary>
    internal const ushort NoSuchDomain = (ushort)(XenConst.DomidFirstReserved - 1);

    /// <summary>A port past any domain's ports (FIFO's limit is 2^17).</summary>
    internal const uint PortOutOfRange = 0x7fff_fff0;

    internal static (long Rc, uint Port) AllocUnbound(IXenDomain xen, ushort dom, ushort remote)
    {
        var op = new EvtchnAllocUnbound { Dom = dom, RemoteDom = remote };
        long rc = xen.EventChannelOp(Evtchn.EvtchnopAllocUnbound, ref op);
        return (rc, op.Port);
    }

    internal static (long Rc, uint Port) BindInterdomain(IXenDomain xen, ushort remote, uint remotePort)
    {
        var op = new EvtchnBindInterdomain { RemoteDom = remote, RemotePort = remotePort };
        long rc = xen.EventChannelOp(Evtchn.EvtchnopBindInterdomain, ref op);
        return (rc, op.LocalPort);
    }

    internal static long Send(IXenDomain xen, uint port)
    {
        var op = new EvtchnSend { Port = port };
        return xen.EventChannelOp(Evtchn.EvtchnopSend, ref op);
    }

    internal static long Close(IXenDomain xen, uint port)
    {
        var op = new EvtchnClose { Port = port };
        return xen.EventChannelOp(Evtchn.EvtchnopClose, ref op);
    }

    internal static long Unmask(IXenDomain xen, uint port)
    {
        var op = new EvtchnUnmask { Port = port };
        return xen.EventChannelOp(Evtchn.EvtchnopUnmask, ref op);
    }

    internal static (long Rc, EvtchnStatus Status) Status(IXenDomain xen, ushort dom, uint port)
    {
        var op = new EvtchnStatus { Dom = dom, Port = port };
        long rc = xen.EventChannelOp(Evtchn.EvtchnopStatus, ref op);
        return (rc, op);
    }

    /// <summary>
    /// EVTCHNOP_status as an answer: <c>EVTCHNSTAT_interdomain dom=peer port=P vcpu=0</c>, with the remote domain
    /// relative to the asker and the remote port named by its owner and role (<paramref name="ports"/>).
    /// </summary>
    internal static string StatusAnswer(IXenDomain xen, ushort dom, uint port, ushort? peer, PortNames ports)
    {
        var (rc, s) = Status(xen, dom, port);
        if (rc != 0) return Answers.Rc(rc);
        string text = Answers.ChannelStatus(s.Status);
        if (s.Status == Evtchn.EvtchnstatUnbound)
            text += $" dom={Answers.Domain(s.U.Unbound.Dom, xen.DomainId, peer)}";
        else if (s.Status == Evtchn.EvtchnstatInterdomain)
            text += $" dom={Answers.Domain(s.U.Interdomain.Dom, xen.DomainId, peer)} port={ports.Of(s.U.Interdomain.Dom, s.U.Interdomain.Port)}";
        return text + $" vcpu={s.Vcpu}";
    }

    /// <summary>A port that was allocated: <c>0 port&gt;0</c>, else Xen's errno.</summary>
    internal static string Allocated(long rc, uint port) => rc != 0 ? Answers.Rc(rc) : port > 0 ? "0 port>0" : "0 port=0";
}
