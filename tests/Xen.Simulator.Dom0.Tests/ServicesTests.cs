using Xen.Services;

namespace Xen.Simulator.Dom0.Tests;

/// <summary>
/// The driver-facing services between a guest (frontend side) and dom0 (backend side) on the simulator: what a
/// frontend grants a backend maps, copies and signals, with Xen's checks.
/// </summary>
public sealed class ServicesTests
{
    [Fact]
    public void Dom0_maps_what_the_guest_granted_and_sees_the_guests_bytes()
    {
        using var env = new GuestOnDom0();
        env.Boot();
        var guest = env.Phases!.Probe.Services!;
        using var pages = guest.Grants.Grant(0, 2);
        pages.Page(1)[5] = 0xAB;
        using (var mapped = env.Dom0.Services.ForeignMemory!.Map(guest.DomainId, pages.References.ToArray(), readOnly: false))
        {
            Assert.Equal(0xAB, mapped.Span[4096 + 5]);
            mapped.Span[7] = 0x42;
        }
        Assert.Equal(0x42, pages.Span[7]);
    }

    [Fact]
    public void A_read_only_grant_cannot_be_mapped_writable_nor_copied_into()
    {
        using var env = new GuestOnDom0();
        env.Boot();
        var guest = env.Phases!.Probe.Services!;
        using var pages = guest.Grants.Grant(0, 1, readOnly: true);
        var foreign = env.Dom0.Services.ForeignMemory!;
        var refused = Assert.Throws<GrantRefusedException>(() => foreign.Map(guest.DomainId, [pages.References[0]], readOnly: false));
        Assert.Contains("GNTTABOP_map_grant_ref", refused.Message);
        Assert.Throws<GrantRefusedException>(() => foreign.CopyTo(guest.DomainId, pages.References[0], 0, new byte[16]));
        pages.Span[100] = 9;
        var read = new byte[4];
        foreign.CopyFrom(guest.DomainId, pages.References[0], 98, read);
        Assert.Equal(new byte[] { 0, 0, 9, 0 }, read);
    }

    [Fact]
    public void A_grant_for_another_domain_or_one_ended_is_refused()
    {
        using var env = new GuestOnDom0();
        env.Boot();
        var guest = env.Phases!.Probe.Services!;
        var pages = guest.Grants.Grant(7, 1);
        var foreign = env.Dom0.Services.ForeignMemory!;
        Assert.Throws<GrantRefusedException>(() => foreign.Map(guest.DomainId, [pages.References[0]], readOnly: true));
        var gref = pages.References[0];
        pages.Dispose();
        Assert.Throws<GrantRefusedException>(() => foreign.CopyFrom(guest.DomainId, gref, 0, new byte[8]));
    }

    [Fact]
    public void Ending_access_while_dom0_maps_the_page_waits_for_the_unmap()
    {
        using var env = new GuestOnDom0();
        env.Boot();
        var guest = env.Phases!.Probe.Services!;
        var table = env.Nexus!.GrantTable!;
        var pages = guest.Grants.Grant(0, 1);
        var mapped = env.Dom0.Services.ForeignMemory!.Map(guest.DomainId, [pages.References[0]], readOnly: false);
        pages.Dispose();
        Assert.Equal(1, table.DeferredCount);
        mapped.Dispose();
        Assert.Equal(1, table.RetryDeferred());
        Assert.Equal(0, table.DeferredCount);
    }

    [Fact]
    public async Task An_unbound_port_of_the_guest_bound_by_dom0_signals_both_ways()
    {
        using var env = new GuestOnDom0();
        env.Boot();
        var guest = env.Phases!.Probe.Services!;
        var atGuest = new SemaphoreSlim(0);
        var atDom0 = new SemaphoreSlim(0);
        var guestPort = guest.EventChannels.AllocUnbound(0, _ => atGuest.Release());
        var dom0Port = env.Dom0.Services.EventChannels.BindInterdomain(guest.DomainId, guestPort, _ => atDom0.Release());
        guest.EventChannels.Notify(guestPort);
        Assert.True(await atDom0.WaitAsync(TimeSpan.FromSeconds(5)));
        env.Dom0.Services.EventChannels.Notify(dom0Port);
        Assert.True(await atGuest.WaitAsync(TimeSpan.FromSeconds(5)));
        env.Dom0.Services.EventChannels.Close(dom0Port);
        guest.EventChannels.Close(guestPort);
    }
}
