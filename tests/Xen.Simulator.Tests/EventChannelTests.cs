namespace Xen.Simulator.Tests;

public sealed unsafe class EventChannelTests
{
    private static EvtchnStatus Status(Guest guest, uint port, ushort dom = (ushort)XenConst.DomidSelf)
    {
        var op = new EvtchnStatus { Dom = dom, Port = port };
        Assert.Equal(0, guest.EventChannelOp(Evtchn.EvtchnopStatus, ref op));
        return op;
    }

    [Fact]
    public void Alloc_unbound_then_bind_interdomain_connects_both_ends()
    {
        using var sim = new Simulation();
        var backend = sim.Dom0.AllocUnbound(sim.DomU.DomainId);
        Assert.Equal(1U, backend);
        var unbound = Status(sim.Dom0, backend);
        Assert.Equal((uint)Evtchn.EvtchnstatUnbound, unbound.Status);
        Assert.Equal(sim.DomU.DomainId, unbound.U.Unbound.Dom);

        var frontend = sim.DomU.BindInterdomain(0, backend);
        var status = Status(sim.DomU, frontend);
        Assert.Equal((uint)Evtchn.EvtchnstatInterdomain, status.Status);
        Assert.Equal(0, status.U.Interdomain.Dom);
        Assert.Equal(backend, status.U.Interdomain.Port);
        Assert.Equal(frontend, Status(sim.Dom0, backend).U.Interdomain.Port);
        Assert.True(sim.DomU.Domain.IsEventPending(frontend));
    }

    [Fact]
    public void Send_sets_the_remote_port_pending()
    {
        using var sim = new Simulation();
        var backend = sim.Dom0.AllocUnbound(sim.DomU.DomainId);
        var frontend = sim.DomU.BindInterdomain(0, backend);
        Assert.False(sim.Xen.Dom0.IsEventPending(backend));
        Assert.Equal(0, sim.DomU.Send(frontend));
        Assert.True(sim.Xen.Dom0.IsEventPending(backend));
    }

    [Fact]
    public void Bind_interdomain_misuse()
    {
        using var sim = new Simulation();
        var other = new Guest(sim.Xen.CreateDomain());
        var port = sim.Dom0.AllocUnbound(sim.DomU.DomainId);
        var op = new EvtchnBindInterdomain { RemoteDom = 0, RemotePort = port };
        Assert.Equal(Guest.Err(XenErrno.XenEinval), other.EventChannelOp(Evtchn.EvtchnopBindInterdomain, ref op));
        op = new EvtchnBindInterdomain { RemoteDom = 0, RemotePort = 4000 };
        Assert.Equal(Guest.Err(XenErrno.XenEinval), sim.DomU.EventChannelOp(Evtchn.EvtchnopBindInterdomain, ref op));
        op = new EvtchnBindInterdomain { RemoteDom = 99, RemotePort = port };
        Assert.Equal(Guest.Err(XenErrno.XenEsrch), sim.DomU.EventChannelOp(Evtchn.EvtchnopBindInterdomain, ref op));
        sim.DomU.BindInterdomain(0, port);
        op = new EvtchnBindInterdomain { RemoteDom = 0, RemotePort = port };
        Assert.Equal(Guest.Err(XenErrno.XenEinval), sim.DomU.EventChannelOp(Evtchn.EvtchnopBindInterdomain, ref op));
    }

    [Fact]
    public void Alloc_unbound_in_another_domain_needs_privilege()
    {
        using var sim = new Simulation();
        var op = new EvtchnAllocUnbound { Dom = 0, RemoteDom = sim.DomU.DomainId };
        Assert.Equal(Guest.Err(XenErrno.XenEperm), sim.DomU.EventChannelOp(Evtchn.EvtchnopAllocUnbound, ref op));
        op = new EvtchnAllocUnbound { Dom = sim.DomU.DomainId, RemoteDom = 0 };
        Assert.Equal(0, sim.Dom0.EventChannelOp(Evtchn.EvtchnopAllocUnbound, ref op));
        Assert.Equal((uint)Evtchn.EvtchnstatUnbound, Status(sim.DomU, op.Port).Status);
    }

    [Fact]
    public void Close_puts_the_peer_back_to_unbound_and_a_closed_port_is_einval()
    {
        using var sim = new Simulation();
        var backend = sim.Dom0.AllocUnbound(sim.DomU.DomainId);
        var frontend = sim.DomU.BindInterdomain(0, backend);
        var close = new EvtchnClose { Port = frontend };
        Assert.Equal(0, sim.DomU.EventChannelOp(Evtchn.EvtchnopClose, ref close));
        Assert.Equal((uint)Evtchn.EvtchnstatClosed, Status(sim.DomU, frontend).Status);
        var peer = Status(sim.Dom0, backend);
        Assert.Equal((uint)Evtchn.EvtchnstatUnbound, peer.Status);
        Assert.Equal(sim.DomU.DomainId, peer.U.Unbound.Dom);
        Assert.Equal(Guest.Err(XenErrno.XenEinval), sim.DomU.EventChannelOp(Evtchn.EvtchnopClose, ref close));
        Assert.Equal(Guest.Err(XenErrno.XenEinval), sim.DomU.Send(frontend));
        close = new EvtchnClose { Port = 0 };
        Assert.Equal(Guest.Err(XenErrno.XenEinval), sim.DomU.EventChannelOp(Evtchn.EvtchnopClose, ref close));
    }

    [Fact]
    public void Unknown_ports_are_einval()
    {
        using var sim = new Simulation();
        Assert.Equal(Guest.Err(XenErrno.XenEinval), sim.DomU.Send(5000));
        var unmask = new EvtchnUnmask { Port = 5000 };
        Assert.Equal(Guest.Err(XenErrno.XenEinval), sim.DomU.EventChannelOp(Evtchn.EvtchnopUnmask, ref unmask));
        var status = new EvtchnStatus { Dom = (ushort)XenConst.DomidSelf, Port = 5000 };
        Assert.Equal(Guest.Err(XenErrno.XenEinval), sim.DomU.EventChannelOp(Evtchn.EvtchnopStatus, ref status));
        status = new EvtchnStatus { Dom = 0, Port = 1 };
        Assert.Equal(Guest.Err(XenErrno.XenEperm), sim.DomU.EventChannelOp(Evtchn.EvtchnopStatus, ref status));
        // Xen checks the port before XSM: another domain's port out of range is -EINVAL even for a guest.
        status = new EvtchnStatus { Dom = 0, Port = 5000 };
        Assert.Equal(Guest.Err(XenErrno.XenEinval), sim.DomU.EventChannelOp(Evtchn.EvtchnopStatus, ref status));
    }

    [Fact]
    public void Send_on_an_unbound_port_is_dropped_silently()
    {
        using var sim = new Simulation();
        var port = sim.DomU.AllocUnbound(0);
        Assert.Equal(0, sim.DomU.Send(port));
        Assert.False(sim.DomU.Domain.IsEventPending(port));
    }

    [Fact]
    public void Bind_virq_rules()
    {
        using var sim = new Simulation();
        var op = new EvtchnBindVirq { Virq = XenConst.VirqTimer, Vcpu = 1 };
        Assert.Equal(0, sim.DomU.EventChannelOp(Evtchn.EvtchnopBindVirq, ref op));
        var status = Status(sim.DomU, op.Port);
        Assert.Equal((uint)Evtchn.EvtchnstatVirq, status.Status);
        Assert.Equal((uint)XenConst.VirqTimer, status.U.Virq);
        Assert.Equal(1U, status.Vcpu);

        var again = new EvtchnBindVirq { Virq = XenConst.VirqTimer, Vcpu = 1 };
        Assert.Equal(Guest.Err(XenErrno.XenEexist), sim.DomU.EventChannelOp(Evtchn.EvtchnopBindVirq, ref again));
        var global = new EvtchnBindVirq { Virq = XenConst.VirqConsole, Vcpu = 1 };
        Assert.Equal(Guest.Err(XenErrno.XenEinval), sim.DomU.EventChannelOp(Evtchn.EvtchnopBindVirq, ref global));
        var bad = new EvtchnBindVirq { Virq = XenConst.NrVirqs, Vcpu = 0 };
        Assert.Equal(Guest.Err(XenErrno.XenEinval), sim.DomU.EventChannelOp(Evtchn.EvtchnopBindVirq, ref bad));
        var noVcpu = new EvtchnBindVirq { Virq = XenConst.VirqTimer, Vcpu = 9 };
        Assert.Equal(Guest.Err(XenErrno.XenEnoent), sim.DomU.EventChannelOp(Evtchn.EvtchnopBindVirq, ref noVcpu));

        Assert.True(sim.DomU.Domain.RaiseVirq(XenConst.VirqTimer, 1));
        Assert.True(sim.DomU.Domain.IsEventPending(op.Port));
    }

    [Fact]
    public void Bind_ipi_and_send_to_self()
    {
        using var sim = new Simulation();
        var op = new Abi.EvtchnBindIpi { Vcpu = 1 };
        Assert.Equal(0, sim.DomU.EventChannelOp(Evtchn.EvtchnopBindIpi, ref op));
        Assert.Equal((uint)Evtchn.EvtchnstatIpi, Status(sim.DomU, op.Port).Status);
        Assert.Equal(0, sim.DomU.Send(op.Port));
        Assert.True(sim.DomU.Domain.IsEventPending(op.Port));
        var bad = new Abi.EvtchnBindIpi { Vcpu = 2 };
        Assert.Equal(Guest.Err(XenErrno.XenEnoent), sim.DomU.EventChannelOp(Evtchn.EvtchnopBindIpi, ref bad));
    }

    [Fact]
    public void Bind_vcpu_moves_interdomain_and_global_virqs_only()
    {
        using var sim = new Simulation();
        var port = sim.DomU.AllocUnbound(0);
        var op = new EvtchnBindVcpu { Port = port, Vcpu = 1 };
        Assert.Equal(0, sim.DomU.EventChannelOp(Evtchn.EvtchnopBindVcpu, ref op));
        Assert.Equal(1U, Status(sim.DomU, port).Vcpu);
        var ipi = new Abi.EvtchnBindIpi { Vcpu = 0 };
        sim.DomU.EventChannelOp(Evtchn.EvtchnopBindIpi, ref ipi);
        op = new EvtchnBindVcpu { Port = ipi.Port, Vcpu = 1 };
        Assert.Equal(Guest.Err(XenErrno.XenEinval), sim.DomU.EventChannelOp(Evtchn.EvtchnopBindVcpu, ref op));
        op = new EvtchnBindVcpu { Port = port, Vcpu = 5 };
        Assert.Equal(Guest.Err(XenErrno.XenEnoent), sim.DomU.EventChannelOp(Evtchn.EvtchnopBindVcpu, ref op));
    }

    [Fact]
    public void Reset_closes_every_port()
    {
        using var sim = new Simulation();
        var backend = sim.Dom0.AllocUnbound(sim.DomU.DomainId);
        var frontend = sim.DomU.BindInterdomain(0, backend);
        var reset = new EvtchnReset { Dom = (ushort)XenConst.DomidSelf };
        Assert.Equal(0, sim.DomU.EventChannelOp(Evtchn.EvtchnopReset, ref reset));
        Assert.Equal((uint)Evtchn.EvtchnstatClosed, Status(sim.DomU, frontend).Status);
        Assert.Equal((uint)Evtchn.EvtchnstatUnbound, Status(sim.Dom0, backend).Status);
    }

    [Fact]
    public void Ports_run_out_at_the_domains_maximum()
    {
        using var sim = new Simulation(guest: new DomainConfiguration { MaxEventChannelPort = 3 });
        for (var i = 0; i < 3; i++)
        {
            sim.DomU.AllocUnbound(0);
        }

        var op = new EvtchnAllocUnbound { Dom = (ushort)XenConst.DomidSelf, RemoteDom = 0 };
        Assert.Equal(Guest.Err(XenErrno.XenEnospc), sim.DomU.EventChannelOp(Evtchn.EvtchnopAllocUnbound, ref op));
    }
}
