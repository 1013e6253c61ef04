using static Xen.Conformance.Cases.Channels;

namespace Xen.Conformance.Cases;

/// <summary>
/// Event channel cases one domain runs on ports it makes itself (never its kernel's): the lifecycle of an unbound
/// and a loopback interdomain channel, and the errno of each misuse (common/event_channel.c).
/// </summary>
public static class EventChannelCases
{
    /// <summary>Runs every single-domain case.</summary>
    public static void RunSelf(IXenDomain xen, CaseLog log)
    {
        ushort self = (ushort)XenConst.DomidSelf;
        var (rc, unbound) = AllocUnbound(xen, self, self);
        log.Answer("evtchn.alloc_unbound.self", Allocated(rc, unbound));
        if (rc != 0) return;
        var names = new PortNames().With(xen.DomainId, unbound, "unbound");
        log.Run("evtchn.status.unbound", () => StatusAnswer(xen, self, unbound, null, names));
        log.Run("evtchn.status.unbound_by_own_domid", () => StatusAnswer(xen, xen.DomainId, unbound, null, names));
        log.Run("evtchn.send.unbound", () => Answers.Rc(Send(xen, unbound)));
        log.Run("evtchn.unmask.unbound", () => Answers.Rc(Unmask(xen, unbound)));

        var (bindRc, local) = BindInterdomain(xen, self, unbound);
        log.Answer("evtchn.bind_interdomain.loopback", Allocated(bindRc, local));
        if (bindRc == 0)
        {
            names.With(xen.DomainId, local, "local");
            log.Run("evtchn.status.loopback_local", () => StatusAnswer(xen, self, local, null, names));
            log.Run("evtchn.status.loopback_remote", () => StatusAnswer(xen, self, unbound, null, names));
            log.Run("evtchn.bind_interdomain.already_bound", () => Answers.Rc(BindInterdomain(xen, self, unbound).Rc));
            log.Run("evtchn.send.loopback", () => Answers.Rc(Send(xen, local)));
            log.Run("evtchn.close.loopback_local", () => Answers.Rc(Close(xen, local)));
            log.Run("evtchn.status.after_peer_closed", () => StatusAnswer(xen, self, unbound, null, names));
        }
        log.Run("evtchn.close.unbound", () => Answers.Rc(Close(xen, unbound)));
        log.Run("evtchn.close.closed", () => Answers.Rc(Close(xen, unbound)));
        log.Run("evtchn.status.closed", () => StatusAnswer(xen, self, unbound, null, names));
        log.Run("evtchn.send.closed", () => Answers.Rc(Send(xen, unbound)));
        log.Run("evtchn.unmask.closed", () => Answers.Rc(Unmask(xen, unbound)));
        log.Run("evtchn.bind_interdomain.closed", () => Answers.Rc(BindInterdomain(xen, self, unbound).Rc));

        log.Run("evtchn.status.port0", () => StatusAnswer(xen, self, 0, null, names));
        log.Run("evtchn.send.port0", () => Answers.Rc(Send(xen, 0)));
        log.Run("evtchn.close.port0", () => Answers.Rc(Close(xen, 0)));
        log.Run("evtchn.bind_interdomain.port0", () => Answers.Rc(BindInterdomain(xen, self, 0).Rc));

        log.Run("evtchn.send.out_of_range", () => Answers.Rc(Send(xen, PortOutOfRange)));
        log.Run("evtchn.close.out_of_range", () => Answers.Rc(Close(xen, PortOutOfRange)));
        log.Run("evtchn.unmask.out_of_range", () => Answers.Rc(Unmask(xen, PortOutOfRange)));
        log.Run("evtchn.status.out_of_range", () => StatusAnswer(xen, self, PortOutOfRange, null, names));
        log.Run("evtchn.bind_interdomain.out_of_range", () => Answers.Rc(BindInterdomain(xen, self, PortOutOfRange).Rc));

        log.Run("evtchn.alloc_unbound.no_such_domain", () => Answers.Rc(AllocUnbound(xen, NoSuchDomain, self).Rc));
        log.Run("evtchn.alloc_unbound.remote_no_such_domain", () =>
        {
            var (r, p) = AllocUnbound(xen, self, NoSuchDomain);
            if (r == 0) Close(xen, p);
            return Allocated(r, p);
        });
        log.Run("evtchn.bind_interdomain.no_such_domain", () => Answers.Rc(BindInterdomain(xen, NoSuchDomain, 1).Rc));
        log.Run("evtchn.status.no_such_domain", () => Answers.Rc(Status(xen, NoSuchDomain, 1).Rc));

        log.Run("evtchn.bind_ipi.no_such_vcpu", () =>
        {
            var op = new EvtchnBindIpi { Vcpu = 4096 };
            return Answers.Rc(xen.EventChannelOp(Evtchn.EvtchnopBindIpi, ref op));
        });
        log.Run("evtchn.bind_vcpu.closed_port", () =>
        {
            var op = new EvtchnBindVcpu { Port = unbound, Vcpu = 0 };
            return Answers.Rc(xen.EventChannelOp(Evtchn.EvtchnopBindVcpu, ref op));
        });
        log.Run("evtchn.unknown_op", () =>
        {
            var op = new EvtchnSend();
            return Answers.Rc(xen.EventChannelOp(UnknownCmd, ref op));
        });
    }

    /// <summary>Cases an unprivileged domain runs against dom0, which it may not act on.</summary>
    public static void RunUnprivileged(IXenDomain xen, CaseLog log)
    {
        ushort self = (ushort)XenConst.DomidSelf;
        log.Run("evtchn.alloc_unbound.in_dom0", () => Answers.Rc(AllocUnbound(xen, 0, self).Rc));
        log.Run("evtchn.status.in_dom0", () => Answers.Rc(Status(xen, 0, 1).Rc));
        log.Run("evtchn.status.in_dom0_out_of_range", () => Answers.Rc(Status(xen, 0, PortOutOfRange).Rc));
    }

    /// <summary>A sub-operation number no header defines.</summary>
    internal const int UnknownCmd = 999;
}
