using Xen.Linux.Events;
using Xen.Linux.Grants;

namespace Xen.Linux.Tests.Devices;

/// <summary>Failures on the devices name the device, the call and errno, as the kernel reports them.</summary>
public sealed class XenDeviceErrorTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("xen-linux-dev-").FullName;

    [Fact]
    public void A_missing_device_is_named_with_ENOENT_and_why()
    {
        string path = Path.Combine(dir, "evtchn");
        var e = Assert.Throws<XenDeviceException>(() => XenDevice.Open(path));
        Assert.Equal(path, e.Device);
        Assert.Equal("open", e.Operation);
        Assert.StartsWith($"open on {path}: ENOENT (", e.Message);
        Assert.Contains("not running on Xen", e.Message);
    }

    /// <summary>/dev/null is a character device that knows no Xen ioctl: the kernel answers ENOTTY.</summary>
    [Fact]
    public void An_ioctl_the_device_does_not_know_is_named_with_ENOTTY()
    {
        using var events = new LinuxEventChannelService(new EvtchnDevicePorts(XenDevice.Open("/dev/null")));
        var e = Assert.Throws<XenDeviceException>(() => events.BindInterdomain(0, 1, _ => { }));
        Assert.Equal("IOCTL_EVTCHN_BIND_INTERDOMAIN", e.Operation);
        Assert.StartsWith("IOCTL_EVTCHN_BIND_INTERDOMAIN on /dev/null: ENOTTY (", e.Message);
    }

    [Fact]
    public void A_refused_grant_ioctl_is_named()
    {
        using var grants = new LinuxGrantService(XenDevice.Open("/dev/null"));
        var e = Assert.Throws<XenDeviceException>(() => grants.Grant(0, 2));
        Assert.Equal("IOCTL_GNTALLOC_ALLOC_GREF", e.Operation);
        using var foreign = new LinuxForeignMemoryService(XenDevice.Open("/dev/null"));
        Assert.Equal("IOCTL_GNTDEV_MAP_GRANT_REF", Assert.Throws<XenDeviceException>(() => foreign.Map(1, [8, 9], readOnly: true)).Operation);
        Assert.Equal("IOCTL_GNTDEV_GRANT_COPY", Assert.Throws<XenDeviceException>(() => foreign.CopyFrom(1, 8, 0, new byte[16])).Operation);
        using var privcmd = new Xen.Linux.Hypercalls.PrivcmdDevice(XenDevice.Open("/dev/null"));
        Assert.Equal("IOCTL_PRIVCMD_HYPERCALL(__HYPERVISOR_xen_version)", Assert.Throws<XenDeviceException>(() => privcmd.XenVersion()).Operation);
    }

    [Fact]
    public void A_copy_outside_one_page_is_refused_before_any_ioctl()
    {
        using var foreign = new LinuxForeignMemoryService(XenDevice.Open("/dev/null"));
        Assert.Throws<ArgumentOutOfRangeException>(() => foreign.CopyFrom(1, 8, 4000, new byte[200]));
        Assert.Throws<ArgumentOutOfRangeException>(() => foreign.CopyTo(1, 8, -1, new byte[1]));
    }

    [Fact]
    public async Task Opening_the_services_without_devices_names_the_first_missing()
    {
        var e = await Assert.ThrowsAsync<XenDeviceException>(() => LinuxXenServices.OpenAsync(new() { DeviceDirectory = dir }));
        Assert.Equal(Path.Combine(dir, "evtchn"), e.Device);
        File.CreateSymbolicLink(Path.Combine(dir, "evtchn"), "/dev/null");
        e = await Assert.ThrowsAsync<XenDeviceException>(() => LinuxXenServices.OpenAsync(new() { DeviceDirectory = dir }));
        Assert.Equal(Path.Combine(dir, "gntalloc"), e.Device);
    }

    public void Dispose() => Directory.Delete(dir, recursive: true);
}
