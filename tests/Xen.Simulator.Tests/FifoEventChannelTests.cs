namespace Xen.Simulator.Tests;

public sealed unsafe class FifoEventChannelTests
{
    private static (nint Block, nint Words) InitFifo(Guest guest, int vcpus = 1)
    {
        EvtchnFifoControlBlock* block0 = null;
        for (var vcpu = 0; vcpu < vcpus; vcpu++)
        {
            var control = guest.Hv.Memory.AllocateFrames(1);
            var init = new EvtchnInitControl { ControlGfn = control, Offset = 0, Vcpu = (uint)vcpu };
            Assert.Equal(0, guest.EventChannelOp(Evtchn.EvtchnopInitControl, ref init));
            Assert.Equal((byte)Evtchn.EvtchnFifoLinkBits, init.LinkBits);
            if (vcpu == 0)
            {
                block0 = (EvtchnFifoControlBlock*)guest.Hv.Memory.Map(control << 12, 4096);
            }
        }

        var array = guest.Hv.Memory.AllocateFrames(1);
        var expand = new EvtchnExpandArray { ArrayGfn = array };
        Assert.Equal(0, guest.EventChannelOp(Evtchn.EvtchnopExpandArray, ref expand));
        return ((nint)block0, (nint)guest.Hv.Memory.Map(array << 12, 4096));
    }

    private static bool Bit(uint word, int bit) => (word & (1U << bit)) != 0;

    [Fact]
    public void Fifo_links_events_in_a_queue_sets_ready_and_upcall_pending()
    {
        using var sim = new Simulation();
        var shared = sim.DomU.MapSharedInfo();
        var (blockAt, wordsAt) = InitFifo(sim.DomU);
        var block = (EvtchnFifoControlBlock*)blockAt;
        var words = (uint*)wordsAt;
        Assert.True(sim.DomU.Domain.UsesFifoEventChannels);

        var a = sim.DomU.AllocUnbound(0);
        var b = sim.DomU.AllocUnbound(0);
        var backA = sim.Dom0.BindInterdomain(sim.DomU.DomainId, a);
        var backB = sim.Dom0.BindInterdomain(sim.DomU.DomainId, b);
        sim.Dom0.Send(backA);
        sim.Dom0.Send(backB);

        var q = Evtchn.EvtchnFifoPriorityDefault;
        Assert.Equal(a, block->Head[q]);
        Assert.True(Bit(block->Ready, q));
        Assert.True(Bit(words[a], Evtchn.EvtchnFifoPending) && Bit(words[a], Evtchn.EvtchnFifoLinked));
        Assert.Equal(b, words[a] & (uint)Evtchn.EvtchnFifoLinkMask);
        Assert.Equal(1, Guest.VcpuInfoOf(shared, 0)->EvtchnUpcallPending);
        Assert.False(Guest.Bit(shared->EvtchnPending, a));
    }

    [Fact]
    public void A_masked_fifo_event_is_only_pending_until_unmask()
    {
        using var sim = new Simulation();
        var (blockAt, wordsAt) = InitFifo(sim.DomU);
        var block = (EvtchnFifoControlBlock*)blockAt;
        var words = (uint*)wordsAt;
        var port = sim.DomU.AllocUnbound(0);
        words[port] = 1U << Evtchn.EvtchnFifoMasked;
        sim.Dom0.Send(sim.Dom0.BindInterdomain(sim.DomU.DomainId, port));
        Assert.True(Bit(words[port], Evtchn.EvtchnFifoPending));
        Assert.False(Bit(words[port], Evtchn.EvtchnFifoLinked));
        Assert.Equal(0U, block->Ready);

        var unmask = new EvtchnUnmask { Port = port };
        Assert.Equal(0, sim.DomU.EventChannelOp(Evtchn.EvtchnopUnmask, ref unmask));
        Assert.False(Bit(words[port], Evtchn.EvtchnFifoMasked));
        Assert.True(Bit(words[port], Evtchn.EvtchnFifoLinked));
        Assert.Equal(port, block->Head[Evtchn.EvtchnFifoPriorityDefault]);
    }

    [Fact]
    public void Set_priority_chooses_the_queue()
    {
        using var sim = new Simulation();
        var block = (EvtchnFifoControlBlock*)InitFifo(sim.DomU).Block;
        var port = sim.DomU.AllocUnbound(0);
        var prio = new EvtchnSetPriority { Port = port, Priority = 2 };
        Assert.Equal(0, sim.DomU.EventChannelOp(Evtchn.EvtchnopSetPriority, ref prio));
        sim.Dom0.Send(sim.Dom0.BindInterdomain(sim.DomU.DomainId, port));
        Assert.Equal(port, block->Head[2]);
        Assert.Equal(1U << 2, block->Ready);
        prio = new EvtchnSetPriority { Port = port, Priority = 16 };
        Assert.Equal(Guest.Err(XenErrno.XenEinval), sim.DomU.EventChannelOp(Evtchn.EvtchnopSetPriority, ref prio));
    }

    [Fact]
    public void Fifo_misuse_and_refusal()
    {
        using var sim = new Simulation();
        var prio = new EvtchnSetPriority { Port = sim.DomU.AllocUnbound(0), Priority = 2 };
        Assert.Equal(Guest.Err(XenErrno.XenEnosys), sim.DomU.EventChannelOp(Evtchn.EvtchnopSetPriority, ref prio));
        var expand = new EvtchnExpandArray { ArrayGfn = 5 };
        Assert.Equal(Guest.Err(XenErrno.XenEopnotsupp), sim.DomU.EventChannelOp(Evtchn.EvtchnopExpandArray, ref expand));
        var init = new EvtchnInitControl { ControlGfn = 5, Offset = 4 };
        Assert.Equal(Guest.Err(XenErrno.XenEinval), sim.DomU.EventChannelOp(Evtchn.EvtchnopInitControl, ref init));
        init = new EvtchnInitControl { ControlGfn = 5, Vcpu = 9 };
        Assert.Equal(Guest.Err(XenErrno.XenEnoent), sim.DomU.EventChannelOp(Evtchn.EvtchnopInitControl, ref init));
        init = new EvtchnInitControl { ControlGfn = sim.DomU.Hv.Memory.AllocateFrames(1) };
        Assert.Equal(0, sim.DomU.EventChannelOp(Evtchn.EvtchnopInitControl, ref init));
        Assert.Equal(Guest.Err(XenErrno.XenEinval), sim.DomU.EventChannelOp(Evtchn.EvtchnopInitControl, ref init));

        var reset = new EvtchnReset { Dom = (ushort)XenConst.DomidSelf };
        sim.DomU.EventChannelOp(Evtchn.EvtchnopReset, ref reset);
        Assert.False(sim.DomU.Domain.UsesFifoEventChannels);

        sim.Xen.Options.OfferFifoEventChannels = false;
        init = new EvtchnInitControl { ControlGfn = sim.DomU.Hv.Memory.AllocateFrames(1) };
        Assert.Equal(Guest.Err(XenErrno.XenEnosys), sim.DomU.EventChannelOp(Evtchn.EvtchnopInitControl, ref init));
    }

    [Fact]
    public void Events_pending_before_the_switch_appear_when_their_word_does()
    {
        using var sim = new Simulation();
        var port = sim.DomU.AllocUnbound(0);
        sim.Dom0.Send(sim.Dom0.BindInterdomain(sim.DomU.DomainId, port));
        Assert.True(sim.DomU.Domain.IsEventPending(port));
        var (blockAt, wordsAt) = InitFifo(sim.DomU);
        var block = (EvtchnFifoControlBlock*)blockAt;
        var words = (uint*)wordsAt;
        Assert.True(Bit(words[port], Evtchn.EvtchnFifoPending));
        Assert.Equal(port, block->Head[Evtchn.EvtchnFifoPriorityDefault]);
    }
}
