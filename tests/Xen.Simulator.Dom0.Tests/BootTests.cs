using Xen.Nexus.Events;

namespace Xen.Simulator.Dom0.Tests;

public sealed class BootTests
{
    [Theory]
    [InlineData(EventChannelAbiKind.TwoLevel, EventChannelAbiKind.TwoLevel)]
    [InlineData(EventChannelAbiKind.TwoLevel, EventChannelAbiKind.Fifo)]
    [InlineData(EventChannelAbiKind.Fifo, EventChannelAbiKind.TwoLevel)]
    [InlineData(EventChannelAbiKind.Fifo, EventChannelAbiKind.Fifo)]
    public void The_guest_reads_its_name_and_domid_over_the_store_ring(EventChannelAbiKind dom0, EventChannelAbiKind guest)
    {
        using var sim = new GuestOnDom0("demo", dom0);
        sim.Boot(new NexusOptions { Log = sim.Record, EventChannelAbi = guest });
        Assert.Equal(dom0, sim.Dom0.Nexus.EventChannels!.Abi);
        Assert.Equal(guest, sim.Nexus!.EventChannels!.Abi);
        var store = sim.Phases!.Store!;
        Assert.Equal(sim.DomainId, store.DomainId);
        Assert.Equal("demo", store.Name);
        Assert.Equal($"/local/domain/{sim.DomainId}", store.Home);
        Assert.Contains(sim.Lines(), l => l.StartsWith($"xenstore0 at xen0: gfn 0x", StringComparison.Ordinal) && l.EndsWith($"domain {sim.DomainId} \"demo\"", StringComparison.Ordinal));
        Assert.True(sim.Dom0.Server.IsDomainIntroduced(sim.DomainId));
    }

    [Fact]
    public async Task The_feature_keys_are_published_and_the_home_is_the_guests()
    {
        using var sim = new GuestOnDom0();
        sim.Boot();
        var home = $"/local/domain/{sim.DomainId}";
        foreach (var request in new[] { "poweroff", "reboot" })
            Assert.Equal("1", await sim.Dom0.Store.ReadStringAsync($"{home}/control/feature-{request}"));
        // libxl's permissions: the home is dom0's, readable by the guest; data/ is the guest's.
        Assert.Equal("n0 r" + sim.DomainId, (await sim.Dom0.Store.GetPermissionsAsync(home)).ToString());
        Assert.Equal("n" + sim.DomainId, (await sim.Dom0.Store.GetPermissionsAsync(home + "/data")).ToString());
        await Assert.ThrowsAnyAsync<Xen.XenStore.Protocol.XsErrorException>(() => sim.Phases!.Store!.Client.WriteAsync(home + "/name", "renamed"));
    }

    [Fact]
    public async Task A_type_without_a_driver_is_not_configured_and_drivers_types_are_unplugged()
    {
        using var sim = new GuestOnDom0();
        await sim.Dom0.Toolstack.AddDeviceAsync(sim.DomainId, DeviceSpec.Disk(0, "/tmp/disk.img"));
        sim.Boot(new RecordingDriver("vif", "xnf"));
        Assert.Contains(sim.Lines(), l => l == "\"vbd\" at xen0: device/vbd/51712 not configured");
        Assert.Equal(Xen.Nexus.Unplug.UnplugProtocol.AllNics, sim.Domain.Unplug.UnplugMask);
    }
}
