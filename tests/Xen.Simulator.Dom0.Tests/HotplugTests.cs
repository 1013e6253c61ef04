namespace Xen.Simulator.Dom0.Tests;

public sealed class HotplugTests
{
    [Fact]
    public async Task A_device_added_and_removed_while_running_is_attached_connected_and_detached()
    {
        using var sim = new GuestOnDom0();
        var driver = new RecordingDriver("vbd", "xbf");
        sim.Boot(driver);
        var disk = DeviceSpec.Disk(0, "/tmp/disk.img");
        await sim.Dom0.Toolstack.AddDeviceAsync(sim.DomainId, disk);
        await sim.WaitForLineAsync("xbf0 at xen0: device/vbd/51712 backend 0 (/local/domain/0/backend/vbd/1/51712)");
        await sim.WaitForLineAsync("xbf0: connected");
        Assert.Equal("4", await sim.Dom0.Store.ReadStringAsync($"{DevicePaths.Frontend(sim.DomainId, disk)}/state"));
        Assert.Equal("4", await sim.Dom0.Store.ReadStringAsync($"{DevicePaths.Backend(sim.DomainId, disk)}/state"));
        Assert.Equal(1, driver.Connects);

        Assert.True(await sim.Dom0.Toolstack.RemoveDeviceAsync(sim.DomainId, disk, TimeSpan.FromSeconds(10)));
        await sim.WaitForLineAsync("xbf0 detached (backend Closing)");
        Assert.Equal(1, driver.Disconnects);
        Assert.False(await sim.Dom0.Store.ExistsAsync(DevicePaths.Frontend(sim.DomainId, disk)));
    }

    [Fact]
    public async Task A_new_type_is_found_by_the_one_device_watch()
    {
        using var sim = new GuestOnDom0();
        sim.Boot();
        await sim.Dom0.Toolstack.AddDeviceAsync(sim.DomainId, DeviceSpec.Nic(0, "", sim.DomainId));
        await sim.WaitForLineAsync("\"vif\" at xen0: device/vif/0 not configured");
    }

    [Fact]
    public async Task A_stale_frontend_state_is_reset_at_boot()
    {
        using var sim = new GuestOnDom0();
        var disk = DeviceSpec.Disk(0, "/tmp/disk.img");
        await sim.Dom0.Toolstack.AddDeviceAsync(sim.DomainId, disk);
        await sim.Dom0.Store.WriteAsync($"{DevicePaths.Frontend(sim.DomainId, disk)}/state", "4");
        sim.Boot(new RecordingDriver("vbd", "xbf"));
        await sim.WaitForLineAsync("xen0: device/vbd/51712: stale state Connected reset");
        await sim.WaitForLineAsync("xbf0: connected");
    }
}
