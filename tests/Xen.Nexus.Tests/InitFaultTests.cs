using Xen.Abi;
using Xen.Nexus.Hypercalls;
using Xen.Nexus.Tests.Support;
using HvmParams = Xen.Abi.Hvm.Params;

namespace Xen.Nexus.Tests;

/// <summary>Each hypercall of init failing in turn: the named error, and nothing half-initialised.</summary>
public sealed class InitFaultTests
{
    public static TheoryData<string, int> InitHypercalls() => new()
    {
        { "XENVER_get_features", 1 },
        { "XENMEM_add_to_physmap", 1 },      // shared info
        { "HVMOP_set_param", 1 },             // callback vector
        { "VCPUOP_register_vcpu_info", 1 },
        { "VCPUOP_register_vcpu_info", 2 },   // the second vCPU: the first stays registered (Xen cannot undo it)
        { "EVTCHNOP_init_control", 1 },
        { "EVTCHNOP_init_control", 2 },
        { "EVTCHNOP_expand_array", 1 },
        { "GNTTABOP_query_size", 1 },
        { "XENMEM_add_to_physmap", 2 },      // the first grant frame
        { "EVTCHNOP_unmask", 0 },            // (no ports bound at init: never called; the row proves the theory's filter)
    };

    private static readonly XenOperation[] Operations =
    [
        XenOperations.XenverGetFeatures, XenOperations.XenmemAddToPhysmap, XenOperations.HvmopSetParam,
        XenOperations.VcpuopRegisterVcpuInfo, XenOperations.EvtchnopInitControl, XenOperations.EvtchnopExpandArray,
        XenOperations.GnttabopQuerySize, XenOperations.EvtchnopUnmask,
    ];

    [Theory]
    [MemberData(nameof(InitHypercalls))]
    public void A_failing_init_hypercall_is_named_and_leaves_nothing_half_initialised(string name, int nth)
    {
        if (nth == 0)
            return;
        using var sim = new NexusSimulation();
        var op = Operations.Single(o => o.Name == name);
        sim.Guest.Faults.FailNth(op.Hypercall, (uint)op.Command, nth, XenErrno.XenEinval);
        var e = Assert.Throws<XenHypercallException>(() => sim.AttachGuest());
        Assert.Equal($"{name}: XEN_EINVAL", e.Message);
        Assert.Equal(1, sim.Guest.Faults.Fired);
        Assert.Contains(sim.Log, l => l.EndsWith($": {name}: XEN_EINVAL", StringComparison.Ordinal));
        AssertNothingLeft(sim, e);
    }

    [Fact]
    public void Without_FIFO_the_init_falls_back_to_2_level_and_a_FIFO_demand_fails_named()
    {
        using var sim = new NexusSimulation(offerFifo: false);
        var e = Assert.Throws<XenHypercallException>(() => sim.AttachGuest(Events.EventChannelAbiKind.Fifo));
        Assert.Equal("EVTCHNOP_init_control: XEN_ENOSYS", e.Message);
    }

    [Fact]
    public void Not_on_Xen_is_its_own_error()
    {
        using var sim = new NexusSimulation();
        var e = Assert.Throws<XenNotFoundException>(() => XenNexus.Attach(new NoXen(sim.GuestMachine)));
        Assert.Contains("XenVMMXenVMM", e.Message);
        Assert.Equal(0, sim.GuestMachine.OutstandingFrames);
    }

    [Fact]
    public void Dispose_after_a_full_attach_releases_the_same_way()
    {
        using var sim = new NexusSimulation();
        var nexus = sim.AttachGuest();
        nexus.Dispose();
        Assert.InRange(nexus.RetainedFrames, 1, 6);
        Assert.Equal(0ul, sim.Guest.GetHvmParam(HvmParams.HvmParamCallbackIrq));
        Assert.Empty(sim.GuestMachine.Vectors);
        Assert.Equal(nexus.RetainedFrames, sim.GuestMachine.OutstandingFrames);
    }

    private static void AssertNothingLeft(NexusSimulation sim, XenHypercallException e)
    {
        // Only frames Xen keeps for good (vcpu_info, FIFO control blocks, frames Xen would not take back) remain.
        Assert.Equal(0ul, sim.Guest.GetHvmParam(HvmParams.HvmParamCallbackIrq));
        Assert.Empty(sim.GuestMachine.Vectors);
        var retained = (int)e.Data[XenNexus.RetainedFramesKey]!;
        Assert.Equal(retained, sim.GuestMachine.OutstandingFrames);
        // At most: a vcpu_info page, 2 FIFO control blocks, an event array page, shared info and a grant frame.
        Assert.InRange(retained, 0, 6);
    }

    private sealed class NoXen(Platform.IHypervisor inner) : Platform.IHypervisor
    {
        public long Hypercall(uint op, ulong a1 = 0, ulong a2 = 0, ulong a3 = 0, ulong a4 = 0, ulong a5 = 0) => inner.Hypercall(op, a1, a2, a3, a4, a5);
        public Platform.CpuidResult Cpuid(uint leaf, uint subleaf = 0) => default;
        public void WriteMsr(uint msr, ulong value) => inner.WriteMsr(msr, value);
        public uint In(ushort port, Platform.PortWidth width) => inner.In(port, width);
        public void Out(ushort port, uint value, Platform.PortWidth width) => inner.Out(port, value, width);
        public Platform.IGuestMemory Memory => inner.Memory;
        public int VcpuCount => inner.VcpuCount;
        public int CurrentVcpu => inner.CurrentVcpu;
        public void SetInterruptHandler(byte vector, Action<int> handler) => inner.SetInterruptHandler(vector, handler);
        public void ClearInterruptHandler(byte vector) => inner.ClearInterruptHandler(vector);
    }
}
