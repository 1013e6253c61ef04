namespace Xen.Simulator.Tests;

public sealed class FaultInjectionTests
{
    [Fact]
    public void The_nth_call_of_a_sub_op_fails_with_the_chosen_errno_once()
    {
        using var sim = new Simulation();
        sim.DomU.Domain.Faults.FailNth(XenConst._HypervisorEventChannelOp, Evtchn.EvtchnopBindVirq, 2, XenErrno.XenEnomem);
        var op = new EvtchnBindVirq { Virq = XenConst.VirqConsole };
        Assert.Equal(0, sim.DomU.EventChannelOp(Evtchn.EvtchnopBindVirq, ref op));
        sim.DomU.AllocUnbound(0);
        op = new EvtchnBindVirq { Virq = XenConst.VirqDebug };
        Assert.Equal(Guest.Err(XenErrno.XenEnomem), sim.DomU.EventChannelOp(Evtchn.EvtchnopBindVirq, ref op));
        Assert.Equal(0, sim.DomU.EventChannelOp(Evtchn.EvtchnopBindVirq, ref op));
        Assert.Equal(1, sim.DomU.Domain.Faults.Fired);
    }

    [Fact]
    public void The_nth_call_of_a_hypercall_fails_and_other_domains_are_untouched()
    {
        using var sim = new Simulation();
        sim.DomU.Domain.Faults.FailNth(XenConst._HypervisorXenVersion, 1, XenErrno.XenEagain);
        Assert.Equal(0, sim.Dom0.Hv.Hypercall(XenConst._HypervisorXenVersion, 0) >> 32);
        Assert.Equal(Guest.Err(XenErrno.XenEagain), sim.DomU.Hv.Hypercall(XenConst._HypervisorXenVersion, 0));
        Assert.Equal((4L << 16) | 17, sim.DomU.Hv.Hypercall(XenConst._HypervisorXenVersion, 0));
    }
}
