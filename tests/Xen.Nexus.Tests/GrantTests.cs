using Xen.Nexus.Grants;
using Xen.Nexus.Hypercalls;
using Xen.Nexus.Tests.Support;
using GrantTableH = Xen.Abi.GrantTable;

namespace Xen.Nexus.Tests;

public sealed unsafe class GrantTests
{
    [Fact]
    public void End_access_fails_while_the_backend_has_it_mapped_and_succeeds_after_unmap()
    {
        using var sim = new NexusSimulation();
        using var guest = sim.AttachGuest();
        using var dom0 = sim.AttachDom0();
        var gfn = sim.GuestMachine.AllocateFrames(1);
        var page = sim.GuestMachine.Map(Platform.XenPage.Address(gfn), (nuint)Platform.XenPage.Size);
        page[0] = 0x5A;
        var table = guest.GrantTable!;
        var gref = table.GrantAccess(0, gfn);
        var mapping = sim.Xen.Dom0.Guest.RunOnVcpu(0, () => dom0.GrantMapper!.Map(sim.Guest.DomainId, gref));
        Assert.Equal(0x5A, dom0.GrantMapper!.Contents(mapping)[0]);
        Assert.False(table.TryEndAccess(gref));
        var released = new List<ulong>();
        Assert.False(table.EndAccessDeferred(gref, (_, f) => released.Add(f)));
        Assert.Equal(1, table.DeferredCount);
        Assert.Equal(0, table.RetryDeferred());
        sim.Xen.Dom0.Guest.RunOnVcpu(0, () => dom0.GrantMapper.Unmap(mapping));
        Assert.Equal(1, table.RetryDeferred());
        Assert.Equal([gfn], released);
        Assert.Equal(0, table.DeferredCount);
    }

    [Fact]
    public void A_read_only_grant_refuses_a_writable_map_by_name()
    {
        using var sim = new NexusSimulation();
        using var guest = sim.AttachGuest();
        using var dom0 = sim.AttachDom0();
        var gfn = sim.GuestMachine.AllocateFrames(1);
        var gref = guest.GrantTable!.GrantAccess(0, gfn, GrantAccess.ReadOnly);
        var e = Assert.Throws<XenGrantStatusException>(() => sim.Xen.Dom0.Guest.RunOnVcpu(0, () => dom0.GrantMapper!.Map(sim.Guest.DomainId, gref)));
        Assert.StartsWith("GNTTABOP_map_grant_ref: GNTST_", e.Message);
        var ro = sim.Xen.Dom0.Guest.RunOnVcpu(0, () => dom0.GrantMapper!.Map(sim.Guest.DomainId, gref, GrantAccess.ReadOnly));
        sim.Xen.Dom0.Guest.RunOnVcpu(0, () => dom0.GrantMapper!.Unmap(ro));
        Assert.True(guest.GrantTable.TryEndAccess(gref));
    }

    [Fact]
    public void Copy_moves_bytes_from_a_grant_into_a_local_frame()
    {
        using var sim = new NexusSimulation();
        using var guest = sim.AttachGuest();
        using var dom0 = sim.AttachDom0();
        var gfn = sim.GuestMachine.AllocateFrames(1);
        sim.GuestMachine.Map(Platform.XenPage.Address(gfn), 1)[10] = 0x77;
        var gref = guest.GrantTable!.GrantAccess(0, gfn, GrantAccess.ReadOnly);
        sim.Xen.Dom0.Guest.RunOnVcpu(0, () =>
        {
            var local = sim.Xen.Dom0.Guest.Memory.AllocateFrames(1);
            dom0.GrantMapper!.Copy(GrantCopySegment.Grant(sim.Guest.DomainId, gref), GrantCopySegment.Local(local), 64);
            Assert.Equal(0x77, sim.Xen.Dom0.Guest.Memory.Map(Platform.XenPage.Address(local), 64)[10]);
        });
        Assert.True(guest.GrantTable.TryEndAccess(gref));
    }

    [Fact]
    public void A_reference_still_mapped_is_not_handed_out_again_until_its_deferred_release_after_the_unmap()
    {
        using var sim = new NexusSimulation();
        using var guest = sim.AttachGuest();
        using var dom0 = sim.AttachDom0();
        var table = guest.GrantTable!;
        var gfn = sim.GuestMachine.AllocateFrames(1);
        var other = sim.GuestMachine.AllocateFrames(1);
        sim.GuestMachine.Map(Platform.XenPage.Address(gfn), 1)[0] = 0x5A;
        var mapped = table.GrantAccess(0, gfn);
        var mapping = sim.Xen.Dom0.Guest.RunOnVcpu(0, () => dom0.GrantMapper!.Map(sim.Guest.DomainId, mapped));
        var released = new List<ulong>();
        Assert.False(table.EndAccessDeferred(mapped, (_, f) => released.Add(f)));
        // The control: a reference whose access ended is handed out again (so the check below can fail).
        var control = table.GrantAccess(0, other);
        Assert.True(table.TryEndAccess(control));

        // Every reference the table can give, growing to its maximum; each GrantAccess also retries the deferred one.
        var handedOut = new HashSet<uint>();
        while (true)
        {
            try { Assert.True(handedOut.Add(table.GrantAccess(0, other))); }
            catch (GrantTableFullException) { break; }
        }
        Assert.Equal(table.MaxFrames, table.FrameCount);
        Assert.Contains(control, handedOut);
        Assert.DoesNotContain(mapped, handedOut);
        Assert.Empty(released);
        Assert.Equal(1, table.DeferredCount);
        // Still the peer's: granted, mapped writable, and the page the peer sees is the one granted.
        Assert.Equal((ushort)(GrantTableH.GtfPermitAccess | GrantTableH.GtfReading | GrantTableH.GtfWriting), table.FlagsOf(mapped));
        Assert.Equal(0x5A, dom0.GrantMapper!.Contents(mapping)[0]);

        sim.Xen.Dom0.Guest.RunOnVcpu(0, () => dom0.GrantMapper.Unmap(mapping));
        Assert.Equal(1, table.RetryDeferred());
        Assert.Equal([gfn], released);
        Assert.Equal(0, table.DeferredCount);
        // The full table's one free reference is now that one.
        Assert.Equal(mapped, table.GrantAccess(0, other));
    }
}
