namespace Xen.Simulator.Dom0.Tests;

public sealed class ShutdownTests
{
    [Fact]
    public async Task Poweroff_shuts_the_domain_down_with_that_reason_and_clears_the_key()
    {
        using var sim = new GuestOnDom0();
        var driver = new RecordingDriver("vbd", "xbf");
        var disk = DeviceSpec.Disk(0, "/tmp/disk.img");
        await sim.Dom0.Toolstack.AddDeviceAsync(sim.DomainId, disk);
        sim.Boot(driver);
        await sim.WaitForLineAsync("xbf0: connected");
        await sim.Dom0.Toolstack.RequestShutdownAsync(sim.DomainId, "poweroff");
        var record = await sim.Domain.Shutdown.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal((uint)Xen.Abi.Sched.ShutdownPoweroff, record.Reason);
        Assert.Equal("", await sim.Dom0.Store.ReadStringAsync($"/local/domain/{sim.DomainId}/control/shutdown"));
        Assert.Contains(sim.Lines(), l => l == "xen0: shutdown request \"poweroff\": SHUTDOWN_poweroff");
        Assert.Contains(sim.Lines(), l => l == "xbf0 detached (shutdown)");
        Assert.Equal("6", await sim.Dom0.Store.ReadStringAsync($"{DevicePaths.Frontend(sim.DomainId, disk)}/state"));
    }

    [Fact]
    public async Task Reboot_halt_and_crash_give_their_reasons()
    {
        foreach (var (request, reason) in new[] { ("reboot", Xen.Abi.Sched.ShutdownReboot), ("halt", Xen.Abi.Sched.ShutdownPoweroff), ("crash", Xen.Abi.Sched.ShutdownCrash) })
        {
            using var sim = new GuestOnDom0();
            sim.Boot();
            await sim.Dom0.Toolstack.RequestShutdownAsync(sim.DomainId, request);
            Assert.Equal((uint)reason, (await sim.Domain.Shutdown.WaitAsync(TimeSpan.FromSeconds(10))).Reason);
        }
    }

    [Fact]
    public async Task An_unsupported_request_is_refused_and_left_unacknowledged()
    {
        using var sim = new GuestOnDom0();
        sim.Boot();
        await sim.Dom0.Toolstack.RequestShutdownAsync(sim.DomainId, "suspend");
        await sim.WaitForLineAsync("xen0: shutdown request \"suspend\" refused: not supported");
        Assert.False(sim.Domain.IsShutDown);
        Assert.Equal("suspend", await sim.Dom0.Store.ReadStringAsync($"/local/domain/{sim.DomainId}/control/shutdown"));
    }
}
