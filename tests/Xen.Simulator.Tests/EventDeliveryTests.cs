namespace Xen.Simulator.Tests;

public sealed unsafe class EventDeliveryTests
{
    private const byte Vector = 0xf3;

    private static ulong CallbackVia => ((ulong)HvmParams.HvmParamCallbackTypeVector << 56) | Vector;

    [Fact]
    public void Send_sets_pending_selector_and_upcall_pending()
    {
        using var sim = new Simulation();
        var shared = sim.Dom0.MapSharedInfo();
        var backend = sim.Dom0.AllocUnbound(sim.DomU.DomainId);
        var frontend = sim.DomU.BindInterdomain(0, backend);
        Assert.Equal(0, sim.DomU.Send(frontend));
        Assert.True(Guest.Bit(shared->EvtchnPending, backend));
        var info = Guest.VcpuInfoOf(shared, 0);
        Assert.Equal(1UL << (int)(backend / 64), info->EvtchnPendingSel);
        Assert.Equal(1, info->EvtchnUpcallPending);
    }

    [Fact]
    public void A_masked_port_gets_only_its_pending_bit_and_unmask_raises_it()
    {
        using var sim = new Simulation();
        var shared = sim.DomU.MapSharedInfo();
        var local = sim.DomU.AllocUnbound(0);
        var info = Guest.VcpuInfoOf(shared, 0);
        shared->EvtchnMask[local / 64] |= 1UL << (int)(local % 64);
        var backend = sim.Dom0.BindInterdomain(sim.DomU.DomainId, local);
        Assert.False(Guest.Bit(shared->EvtchnPending, local));
        Assert.Equal(0, sim.Dom0.Send(backend));
        Assert.True(Guest.Bit(shared->EvtchnPending, local));
        Assert.Equal(0UL, info->EvtchnPendingSel);
        Assert.Equal(0, info->EvtchnUpcallPending);

        var unmask = new EvtchnUnmask { Port = local };
        Assert.Equal(0, sim.DomU.EventChannelOp(Evtchn.EvtchnopUnmask, ref unmask));
        Assert.False(Guest.Bit(shared->EvtchnMask, local));
        Assert.Equal(1UL << (int)(local / 64), info->EvtchnPendingSel);
        Assert.Equal(1, info->EvtchnUpcallPending);
    }

    [Fact]
    public void The_callback_vector_runs_the_handler_on_the_notified_vcpu()
    {
        using var sim = new Simulation();
        var shared = sim.DomU.MapSharedInfo();
        var delivered = new System.Collections.Concurrent.BlockingCollection<(int Arg, int Current)>();
        var hv = sim.DomU.Hv;
        hv.SetInterruptHandler(Vector, vcpu =>
        {
            Guest.VcpuInfoOf(shared, vcpu)->EvtchnUpcallPending = 0;
            delivered.Add((vcpu, hv.CurrentVcpu));
        });
        Assert.Equal(0, sim.DomU.SetParam(HvmParams.HvmParamCallbackIrq, CallbackVia));

        var port = sim.DomU.AllocUnbound(0);
        var bind = new EvtchnBindVcpu { Port = port, Vcpu = 1 };
        Assert.Equal(0, sim.DomU.EventChannelOp(Evtchn.EvtchnopBindVcpu, ref bind));
        var backend = sim.Dom0.BindInterdomain(sim.DomU.DomainId, port);
        Assert.Equal(0, sim.Dom0.Send(backend));
        Assert.True(delivered.TryTake(out var got, TimeSpan.FromSeconds(5)));
        Assert.Equal((1, 1), got);
        Assert.Equal(0, hv.CurrentVcpu);
    }

    [Fact]
    public void The_callback_is_delivered_again_while_upcall_pending_stays_set()
    {
        using var sim = new Simulation();
        var shared = sim.DomU.MapSharedInfo();
        var calls = 0;
        var done = new ManualResetEventSlim();
        sim.DomU.Hv.SetInterruptHandler(Vector, vcpu =>
        {
            if (Interlocked.Increment(ref calls) == 3)
            {
                Guest.VcpuInfoOf(shared, vcpu)->EvtchnUpcallPending = 0;
                done.Set();
            }
        });
        sim.DomU.SetParam(HvmParams.HvmParamCallbackIrq, CallbackVia);
        var port = sim.DomU.AllocUnbound(0);
        sim.Dom0.Send(sim.Dom0.BindInterdomain(sim.DomU.DomainId, port));
        Assert.True(done.Wait(TimeSpan.FromSeconds(5)));
        Thread.Sleep(50);
        Assert.Equal(3, Volatile.Read(ref calls));
    }

    [Fact]
    public void Register_vcpu_info_moves_it_and_marks_everything_pending()
    {
        using var sim = new Simulation();
        var frame = sim.DomU.Hv.Memory.AllocateFrames(1);
        var p = (VcpuRegisterVcpuInfo*)sim.DomU.Hv.Memory.Map(sim.DomU.ArgumentAddress, (nuint)sizeof(VcpuRegisterVcpuInfo));
        *p = new VcpuRegisterVcpuInfo { Mfn = frame, Offset = 64 };
        Assert.Equal(0, sim.DomU.Hv.Hypercall(XenConst._HypervisorVcpuOp, Abi.Vcpu.VcpuopRegisterVcpuInfo, 1, sim.DomU.ArgumentAddress));
        var info = (VcpuInfo*)(sim.DomU.Hv.Memory.Map(frame << 12, 4096) + 64);
        Assert.Equal(1, info->EvtchnUpcallPending);
        Assert.Equal(ulong.MaxValue, info->EvtchnPendingSel);

        info->EvtchnUpcallPending = 0;
        info->EvtchnPendingSel = 0;
        var port = sim.DomU.AllocUnbound(0);
        var bind = new EvtchnBindVcpu { Port = port, Vcpu = 1 };
        sim.DomU.EventChannelOp(Evtchn.EvtchnopBindVcpu, ref bind);
        sim.Dom0.Send(sim.Dom0.BindInterdomain(sim.DomU.DomainId, port));
        Assert.Equal(1, info->EvtchnUpcallPending);

        Assert.Equal(Guest.Err(XenErrno.XenEinval), sim.DomU.Hv.Hypercall(XenConst._HypervisorVcpuOp, Abi.Vcpu.VcpuopRegisterVcpuInfo, 1, sim.DomU.ArgumentAddress));
        Assert.Equal(Guest.Err(XenErrno.XenEnoent), sim.DomU.Hv.Hypercall(XenConst._HypervisorVcpuOp, Abi.Vcpu.VcpuopRegisterVcpuInfo, 7, sim.DomU.ArgumentAddress));
        *p = new VcpuRegisterVcpuInfo { Mfn = frame, Offset = 4090 };
        Assert.Equal(Guest.Err(XenErrno.XenEinval), sim.DomU.Hv.Hypercall(XenConst._HypervisorVcpuOp, Abi.Vcpu.VcpuopRegisterVcpuInfo, 0, sim.DomU.ArgumentAddress));
    }
}
