using Xen.Nexus.Hypercalls;

namespace Xen.Simulator.Dom0.Tests;

/// <summary>The XenStore and probe phases failing on a hypercall they make: the attach fails and nothing is left attached.</summary>
public sealed class FaultTests
{
    [Fact]
    public void HVMOP_get_param_failing_fails_the_xenstore_phase_and_detaches_every_step()
    {
        using var sim = new GuestOnDom0();
        sim.Domain.Faults.FailNth(Xen.Abi.Xen._HypervisorHvmOp, (uint)Xen.Abi.Hvm.HvmOp.HvmopGetParam, 1, Xen.Abi.XenErrno.XenEinval);
        var e = Assert.Throws<XenHypercallException>(() => sim.Boot());
        Assert.Contains("HVMOP_get_param", e.Message);
        Assert.Contains(sim.Lines(), l => l.StartsWith("xen0: xenstore: HVMOP_get_param", StringComparison.Ordinal));
        Assert.Null(sim.Phases!.Store);
        Assert.False(sim.Dom0.Server.IsDomainIntroduced(99));
    }

    [Fact]
    public async Task EVTCHNOP_send_failing_in_the_probe_fails_the_attach_with_nothing_left()
    {
        using var sim = new GuestOnDom0();
        await sim.Dom0.Toolstack.AddDeviceAsync(sim.DomainId, DeviceSpec.Disk(0, "/tmp/disk.img"));
        // The xenstore phase makes two reads (domid, name), each one send at least; fail a send of the probe's requests.
        sim.Domain.Faults.FailNth(Xen.Abi.Xen._HypervisorEventChannelOp, (uint)Xen.Abi.EventChannel.EvtchnopSend, 3, Xen.Abi.XenErrno.XenEio);
        var failed = Record.Exception(() => sim.Boot(new RecordingDriver("vbd", "xbf")));
        Assert.NotNull(failed);
        Assert.Null(sim.Phases!.Store);
        Assert.Null(sim.Phases.Probe.Probe);
        Assert.Empty(sim.Nexus?.AttachedSteps ?? []);
        Assert.DoesNotContain(sim.Lines(), l => l.Contains("xbf0: connected", StringComparison.Ordinal));
    }
}
