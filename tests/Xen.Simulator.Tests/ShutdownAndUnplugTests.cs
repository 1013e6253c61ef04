using Xen.Nexus.Unplug;
using Xen.Simulator.Devices;

namespace Xen.Simulator.Tests;

public sealed class ShutdownAndUnplugTests
{
    [Theory]
    [InlineData(Sched.ShutdownPoweroff)]
    [InlineData(Sched.ShutdownReboot)]
    [InlineData(Sched.ShutdownSuspend)]
    [InlineData(Sched.ShutdownCrash)]
    public async Task Shutdown_records_the_reason_and_the_domain_stops(int reason)
    {
        using var sim = new Simulation();
        var op = new SchedShutdown { Reason = (uint)reason };
        Assert.Equal(0, sim.DomU.Call(XenConst._HypervisorSchedOp, Sched.SchedopShutdown, ref op));
        Assert.True(sim.DomU.Domain.IsShutDown);
        Assert.Equal(new ShutdownRecord((uint)reason, 0), await sim.DomU.Domain.Shutdown);
        Assert.Throws<HypervisorFaultException>(() => sim.DomU.Hv.Hypercall(XenConst._HypervisorXenVersion));
        Assert.False(sim.Xen.Dom0.IsShutDown);
    }

    [Fact]
    public void The_unplug_protocol_as_the_drivers_run_it()
    {
        using var sim = new Simulation();
        var hv = sim.DomU.Hv;
        Assert.Equal(UnplugProtocol.Magic, hv.In(UnplugProtocol.MagicPort, PortWidth.Word));
        Assert.Equal(1U, hv.In(UnplugProtocol.VersionPort, PortWidth.Byte));
        hv.Out(UnplugProtocol.VersionPort, 1, PortWidth.Word);
        hv.Out(UnplugProtocol.MagicPort, 0x1234, PortWidth.Dword);
        Assert.Equal(UnplugProtocol.Magic, hv.In(UnplugProtocol.MagicPort, PortWidth.Word));
        hv.Out(UnplugProtocol.MagicPort, UnplugProtocol.AllIdeDisks | UnplugProtocol.AllNics, PortWidth.Word);
        foreach (var b in "hello\n"u8.ToArray())
        {
            hv.Out(UnplugProtocol.VersionPort, b, PortWidth.Byte);
        }

        var unplug = sim.DomU.Domain.Unplug;
        Assert.Equal((ushort)1, unplug.Product);
        Assert.Equal(0x1234U, unplug.Build);
        Assert.Equal(UnplugProtocol.AllIdeDisks | UnplugProtocol.AllNics, unplug.UnplugMask);
        Assert.Equal(["hello"], unplug.Log);
    }

    [Fact]
    public void A_blacklisted_build_turns_the_magic_around()
    {
        using var sim = new Simulation();
        sim.DomU.Domain.Unplug.IsBlacklisted = (product, build) => build < 10;
        var hv = sim.DomU.Hv;
        hv.Out(UnplugProtocol.VersionPort, 1, PortWidth.Word);
        hv.Out(UnplugProtocol.MagicPort, 5, PortWidth.Dword);
        Assert.Equal(UnplugProtocol.BlacklistedMagic, hv.In(UnplugProtocol.MagicPort, PortWidth.Word));
    }
}
