using System.Text;

namespace Xen.Simulator.Tests;

public sealed unsafe class XenVersionAndHvmParamTests
{
    [Fact]
    public void Xenver_version_extraversion_and_features()
    {
        using var sim = new Simulation();
        var hv = sim.DomU.Hv;
        Assert.Equal((4L << 16) | 17, hv.Hypercall(XenConst._HypervisorXenVersion, (ulong)Abi.Version.XenverVersion));
        Assert.Equal(0, hv.Hypercall(XenConst._HypervisorXenVersion, (ulong)Abi.Version.XenverExtraversion, sim.DomU.ArgumentAddress));
        var text = new ReadOnlySpan<byte>(hv.Memory.Map(sim.DomU.ArgumentAddress, 16), 16);
        Assert.Equal(".5", Encoding.ASCII.GetString(text[..text.IndexOf((byte)0)]));

        var info = new XenFeatureInfo { SubmapIdx = 0 };
        Assert.Equal(0, sim.DomU.Call(XenConst._HypervisorXenVersion, Abi.Version.XenverGetFeatures, ref info));
        Assert.NotEqual(0U, info.Submap & (1U << Features.XenfeatHvmCallbackVector));
        Assert.Equal(0U, info.Submap & (1U << Features.XenfeatDom0));

        info = new XenFeatureInfo { SubmapIdx = Features.XenfeatNrSubmaps };
        Assert.Equal(Guest.Err(XenErrno.XenEinval), sim.DomU.Call(XenConst._HypervisorXenVersion, Abi.Version.XenverGetFeatures, ref info));
    }

    // Held to real Xen 4.17 by the conformance suite (tests/Xen.Conformance): these answered -ENOSYS before.
    [Fact]
    public void Xenver_pagesize_capabilities_and_the_strings_any_guest_may_read()
    {
        using var sim = new Simulation();
        var hv = sim.DomU.Hv;
        Assert.Equal(4096, hv.Hypercall(XenConst._HypervisorXenVersion, (ulong)Abi.Version.XenverPagesize));
        Assert.Equal(0, hv.Hypercall(XenConst._HypervisorXenVersion, (ulong)Abi.Version.XenverCapabilities, sim.DomU.ArgumentAddress));
        var text = new ReadOnlySpan<byte>(hv.Memory.Map(sim.DomU.ArgumentAddress, 1024), 1024);
        Assert.Equal("xen-3.0-x86_64 hvm-3.0-x86_32 hvm-3.0-x86_32p hvm-3.0-x86_64 ", Encoding.ASCII.GetString(text[..text.IndexOf((byte)0)]));
        foreach (var cmd in new[] { Abi.Version.XenverChangeset, Abi.Version.XenverCompileInfo, Abi.Version.XenverGuestHandle })
        {
            Assert.Equal(0, hv.Hypercall(XenConst._HypervisorXenVersion, (ulong)cmd, sim.DomU.ArgumentAddress));
        }
    }

    /// <summary>As real Xen 4.17 answered the conformance suite: a guest's commandline and unknown sub-ops as dom0's.</summary>
    [Fact]
    public void Xenver_commandline_is_answered_and_unknown_sub_ops_are_enosys_for_a_guest_and_dom0()
    {
        using var sim = new Simulation();
        const ulong unknown = 999;
        Assert.Equal(0, sim.DomU.Hv.Hypercall(XenConst._HypervisorXenVersion, (ulong)Abi.Version.XenverCommandline, sim.DomU.ArgumentAddress));
        Assert.Equal(Guest.Err(XenErrno.XenEnosys), sim.DomU.Hv.Hypercall(XenConst._HypervisorXenVersion, unknown, sim.DomU.ArgumentAddress));
        Assert.Equal(0, sim.Dom0.Hv.Hypercall(XenConst._HypervisorXenVersion, (ulong)Abi.Version.XenverCommandline, sim.Dom0.ArgumentAddress));
        Assert.Equal(Guest.Err(XenErrno.XenEnosys), sim.Dom0.Hv.Hypercall(XenConst._HypervisorXenVersion, unknown, sim.Dom0.ArgumentAddress));
    }

    [Fact]
    public void Features_are_configurable_and_dom0_has_xenfeat_dom0()
    {
        using var sim = new Simulation();
        sim.DomU.Domain.Features = 1U << Features.XenfeatHvmSafePvclock;
        var info = new XenFeatureInfo();
        sim.DomU.Call(XenConst._HypervisorXenVersion, Abi.Version.XenverGetFeatures, ref info);
        Assert.Equal(1U << Features.XenfeatHvmSafePvclock, info.Submap);
        sim.Dom0.Call(XenConst._HypervisorXenVersion, Abi.Version.XenverGetFeatures, ref info);
        Assert.NotEqual(0U, info.Submap & (1U << Features.XenfeatDom0));
    }

    [Fact]
    public void The_guest_reads_the_store_and_console_params_the_toolstack_set()
    {
        using var sim = new Simulation();
        sim.DomU.Domain.SetHvmParam(HvmParams.HvmParamStorePfn, 0xfeffc);
        sim.DomU.Domain.SetHvmParam(HvmParams.HvmParamStoreEvtchn, 3);
        sim.DomU.Domain.SetHvmParam(HvmParams.HvmParamConsolePfn, 0xfeffd);
        sim.DomU.Domain.SetHvmParam(HvmParams.HvmParamConsoleEvtchn, 4);
        Assert.Equal((0L, 0xfeffcUL), sim.DomU.GetParam(HvmParams.HvmParamStorePfn));
        Assert.Equal((0L, 3UL), sim.DomU.GetParam(HvmParams.HvmParamStoreEvtchn));
        Assert.Equal((0L, 0xfeffdUL), sim.DomU.GetParam(HvmParams.HvmParamConsolePfn));
        Assert.Equal((0L, 4UL), sim.DomU.GetParam(HvmParams.HvmParamConsoleEvtchn));
    }

    [Fact]
    public void The_guest_sets_its_callback_but_not_toolstack_params()
    {
        using var sim = new Simulation();
        var via = ((ulong)HvmParams.HvmParamCallbackTypeVector << 56) | 0xf3;
        Assert.Equal(0, sim.DomU.SetParam(HvmParams.HvmParamCallbackIrq, via));
        Assert.Equal(via, sim.DomU.Domain.GetHvmParam(HvmParams.HvmParamCallbackIrq));
        Assert.Equal(Guest.Err(XenErrno.XenEperm), sim.DomU.SetParam(HvmParams.HvmParamStorePfn, 5));
        Assert.Equal(Guest.Err(XenErrno.XenEperm), sim.DomU.GetParam(HvmParams.HvmParamIoreqPfn).Rc);
        Assert.Equal(Guest.Err(XenErrno.XenEinval), sim.DomU.SetParam(HvmParams.HvmNrParams, 5));
        Assert.Equal(Guest.Err(XenErrno.XenEinval), sim.DomU.GetParam(HvmParams.HvmNrParams).Rc);
    }

    [Fact]
    public void Params_of_other_domains_only_for_dom0()
    {
        using var sim = new Simulation();
        Assert.Equal(Guest.Err(XenErrno.XenEperm), sim.DomU.GetParam(HvmParams.HvmParamStorePfn, 0).Rc);
        Assert.Equal(Guest.Err(XenErrno.XenEsrch), sim.DomU.GetParam(HvmParams.HvmParamStorePfn, 77).Rc);
        Assert.Equal(0, sim.Dom0.SetParam(HvmParams.HvmParamStorePfn, 0x99, sim.DomU.DomainId));
        Assert.Equal((0L, 0x99UL), sim.DomU.GetParam(HvmParams.HvmParamStorePfn));
    }

    [Fact]
    public void Set_once_params_refuse_a_change()
    {
        using var sim = new Simulation();
        Assert.Equal(0, sim.DomU.SetParam(HvmParams.HvmParamMcaCap, 1));
        Assert.Equal(Guest.Err(XenErrno.XenEexist), sim.DomU.SetParam(HvmParams.HvmParamMcaCap, 2));
    }
}
