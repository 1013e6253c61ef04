using Xen.Nexus.Events;
using Xen.Nexus.Tests.Support;
using HvmParams = Xen.Abi.Hvm.Params;

namespace Xen.Nexus.Tests;

public sealed unsafe class BootTests
{
    [Fact]
    public void Attach_logs_one_line_per_step_in_OpenBSDs_order()
    {
        using var sim = new NexusSimulation();
        using var nexus = sim.AttachGuest();
        Assert.Collection(sim.Log,
            l => Assert.Equal("xen0 at pvbus0: Xen 4.17 (cpuid 0x40000000)", l),
            l => Assert.Matches(@"^xen0: hypercall page at gfn 0x[0-9a-f]+ \(msr 0x40000000, 1 page\)$", l),
            l => Assert.Matches(@"^xen0: features 0x[0-9a-f]+<.*hvm_callback_vector.*>$", l),
            l => Assert.Matches(@"^xen0: shared info at gfn 0x[0-9a-f]+$", l),
            l => Assert.Equal("xen0: callback vector 243 (0xf3)", l),
            l => Assert.Matches(@"^xen0: event channels: FIFO ABI, 131072 ports, 2 vCPUs, vcpu_info at gfn 0x[0-9a-f]+, all masked$", l),
            l => Assert.Matches(@"^xen0: grant table frames allocated 1/64, \d+ free references$", l),
            l => Assert.Equal("xen0: event channels unmasked", l));
        Assert.Equal<string>(new[] {"detect", "hypercall page", "features", "shared info", "callback vector", "event channels", "grant table", "unmask" }, nexus.CoreStepNames());
    }

    [Fact]
    public void Detect_and_hypercall_page_match_the_hypervisor()
    {
        using var sim = new NexusSimulation();
        using var nexus = sim.AttachGuest();
        Assert.Equal(new Version(4, 17), nexus.XenVersion);
        Assert.Equal(0x40000000u, nexus.CpuidBase);
        Assert.Equal(nexus.HypercallPageGfn, sim.Guest.HypercallPageFrame);
    }

    [Fact]
    public void Features_shared_info_and_callback_vector_are_Xens()
    {
        using var sim = new NexusSimulation();
        using var nexus = sim.AttachGuest();
        Assert.Equal(sim.Guest.Features, nexus.Features);
        Assert.True(nexus.HasFeature(Xen.Abi.Features.XenfeatHvmCallbackVector));
        Assert.NotEqual(0ul, nexus.SharedInfoGfn);
        var param = sim.Guest.GetHvmParam(HvmParams.HvmParamCallbackIrq);
        Assert.Equal((ulong)HvmParams.HvmParamCallbackTypeVector, param >> 56);
        Assert.Equal(0xF3ul, param & 0xff);
        Assert.Contains((byte)0xF3, sim.GuestMachine.Vectors);
    }

    [Theory]
    [InlineData(true, EventChannelAbiKind.Auto, EventChannelAbiKind.Fifo)]
    [InlineData(false, EventChannelAbiKind.Auto, EventChannelAbiKind.TwoLevel)]
    [InlineData(true, EventChannelAbiKind.TwoLevel, EventChannelAbiKind.TwoLevel)]
    [InlineData(true, EventChannelAbiKind.Fifo, EventChannelAbiKind.Fifo)]
    public void The_event_channel_ABI_is_chosen_by_the_switch_and_what_Xen_offers(bool offerFifo, EventChannelAbiKind wanted, EventChannelAbiKind expected)
    {
        using var sim = new NexusSimulation(offerFifo);
        using var nexus = sim.AttachGuest(wanted);
        Assert.Equal(expected, nexus.EventChannels!.Abi);
        Assert.Equal(expected == EventChannelAbiKind.Fifo, sim.Guest.UsesFifoEventChannels);
        Assert.True(nexus.EventChannels.VcpuInfos.Registered);
    }

    [Fact]
    public void Every_port_starts_masked_and_not_pending()
    {
        using var sim = new NexusSimulation(offerFifo: false);
        using var nexus = sim.AttachGuest();
        var si = nexus.SharedInfo;
        for (var w = 0; w < 64; w++)
        {
            Assert.Equal(ulong.MaxValue, si->EvtchnMask[w]);
            Assert.Equal(0ul, si->EvtchnPending[w]);
        }
    }

    [Fact]
    public void Grant_table_starts_with_Xens_frames_and_grows_to_the_maximum()
    {
        using var sim = new NexusSimulation();
        using var nexus = sim.AttachGuest();
        var table = nexus.GrantTable!;
        Assert.Equal(1, table.FrameCount);
        Assert.Equal(64, table.MaxFrames);
        var refs = new List<uint>();
        var gfn = sim.GuestMachine.AllocateFrames(1);
        var free = table.FreeCount;
        for (var i = 0; i < free + 10; i++)
            refs.Add(table.GrantAccess(0, gfn));
        Assert.Equal(2, table.FrameCount);
        Assert.Equal(refs.Count, refs.Distinct().Count());
        Assert.DoesNotContain(refs, r => r < Xen.Abi.GrantTable.GnttabNrReservedEntries);
    }
}
