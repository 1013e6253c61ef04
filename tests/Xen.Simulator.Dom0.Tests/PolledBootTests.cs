namespace Xen.Simulator.Dom0.Tests;

/// <summary>
/// The whole boot on a Xen without <c>XENFEAT_hvm_callback_vector</c>: XenStore, probe, a device through its xenbus
/// states, and a poweroff answered, with the upcall polled.
/// </summary>
public sealed class PolledBootTests
{
    [Fact]
    public async Task Without_a_callback_vector_the_guest_boots_connects_a_device_and_powers_off()
    {
        using var sim = new GuestOnDom0();
        sim.Domain.Features &= ~(1u << Xen.Abi.Features.XenfeatHvmCallbackVector);
        var disk = DeviceSpec.Disk(0, "/tmp/disk.img");
        await sim.Dom0.Toolstack.AddDeviceAsync(sim.DomainId, disk);
        var nexus = sim.Boot(new RecordingDriver("vbd", "xbf"));

        Assert.Null(nexus.CallbackVector);
        Assert.Equal(TimeSpan.FromMilliseconds(1), nexus.UpcallPollInterval);
        Assert.Contains("xen0: no callback vector (XENFEAT_hvm_callback_vector not offered), events polled every 1 ms", sim.Lines());
        Assert.True(sim.Phases!.XenStore.Polled);
        await sim.WaitForLineAsync("xbf0: connected");
        Assert.Equal("4", await sim.Dom0.Store.ReadStringAsync($"{DevicePaths.Frontend(sim.DomainId, disk)}/state"));

        await sim.Dom0.Toolstack.RequestShutdownAsync(sim.DomainId, "poweroff");
        Assert.Equal((uint)Xen.Abi.Sched.ShutdownPoweroff, (await sim.Domain.Shutdown.WaitAsync(TimeSpan.FromSeconds(10))).Reason);
        Assert.Contains("xbf0 detached (shutdown)", sim.Lines());
    }
}
