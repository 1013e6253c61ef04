namespace Xen.Simulator.Tests;

public sealed unsafe class GrantTableTests
{
    /// <summary>The granting guest's table: frame 0 placed in its physmap with XENMAPSPACE_grant_table.</summary>
    private static GrantEntryV1* MapTable(Guest guest)
    {
        var gfn = guest.Hv.Memory.AllocateFrames(1);
        var xatp = new XenAddToPhysmap { Domid = (ushort)XenConst.DomidSelf, Space = XenMem.XenmapspaceGrantTable, Idx = 0, Gpfn = gfn };
        Assert.Equal(0, guest.Call(XenConst._HypervisorMemoryOp, XenMem.XenmemAddToPhysmap, ref xatp));
        return (GrantEntryV1*)guest.Hv.Memory.Map(gfn << 12, 4096);
    }

    private static byte* Grant(Guest granter, GrantEntryV1* table, uint gref, ushort to, bool readOnly = false)
    {
        var gfn = granter.Hv.Memory.AllocateFrames(1);
        table[gref].Domid = to;
        table[gref].Frame = (uint)gfn;
        Volatile.Write(ref table[gref].Flags, (ushort)(Gnttab.GtfPermitAccess | (readOnly ? Gnttab.GtfReadonly : 0)));
        return granter.Hv.Memory.Map(gfn << 12, 4096);
    }

    private static GnttabMapGrantRef Map(Guest mapper, ushort dom, uint gref, ulong hostGfn, bool readOnly = false)
    {
        var op = new GnttabMapGrantRef
        {
            HostAddr = hostGfn << 12, Dom = dom, Ref = gref,
            Flags = (uint)(Gnttab.GntmapHostMap | (readOnly ? Gnttab.GntmapReadonly : 0)),
        };
        Assert.Equal(0, mapper.GrantTableOp(Gnttab.GnttabopMapGrantRef, ref op));
        return op;
    }

    [Fact]
    public void Query_size_and_setup_table()
    {
        using var sim = new Simulation();
        var query = new GnttabQuerySize { Dom = (ushort)XenConst.DomidSelf };
        Assert.Equal(0, sim.DomU.GrantTableOp(Gnttab.GnttabopQuerySize, ref query));
        Assert.Equal((short)Gnttab.GntstOkay, query.Status);
        Assert.Equal(1U, query.NrFrames);
        Assert.Equal(64U, query.MaxNrFrames);

        query = new GnttabQuerySize { Dom = 0 };
        sim.DomU.GrantTableOp(Gnttab.GnttabopQuerySize, ref query);
        Assert.Equal((short)Gnttab.GntstPermissionDenied, query.Status);
        query = new GnttabQuerySize { Dom = 99 };
        sim.DomU.GrantTableOp(Gnttab.GnttabopQuerySize, ref query);
        Assert.Equal((short)Gnttab.GntstBadDomain, query.Status);

        var setup = new GnttabSetupTable { Dom = (ushort)XenConst.DomidSelf, NrFrames = 65 };
        sim.DomU.GrantTableOp(Gnttab.GnttabopSetupTable, ref setup);
        Assert.Equal((short)Gnttab.GntstGeneralError, setup.Status);
    }

    [Fact]
    public void Add_to_physmap_grows_the_table_up_to_its_maximum()
    {
        using var sim = new Simulation(guest: new DomainConfiguration { MaxGrantFrames = 4 });
        var gfn = sim.DomU.Hv.Memory.AllocateFrames(1);
        var xatp = new XenAddToPhysmap { Domid = (ushort)XenConst.DomidSelf, Space = XenMem.XenmapspaceGrantTable, Idx = 3, Gpfn = gfn };
        Assert.Equal(0, sim.DomU.Call(XenConst._HypervisorMemoryOp, XenMem.XenmemAddToPhysmap, ref xatp));
        var query = new GnttabQuerySize { Dom = (ushort)XenConst.DomidSelf };
        sim.DomU.GrantTableOp(Gnttab.GnttabopQuerySize, ref query);
        Assert.Equal(4U, query.NrFrames);
        xatp.Idx = 4;
        Assert.Equal(Guest.Err(XenErrno.XenEinval), sim.DomU.Call(XenConst._HypervisorMemoryOp, XenMem.XenmemAddToPhysmap, ref xatp));
    }

    [Fact]
    public void A_mapped_grant_shares_the_frame_both_ways_and_sets_reading_writing()
    {
        using var sim = new Simulation();
        var table = MapTable(sim.DomU);
        var granted = Grant(sim.DomU, table, 8, 0);
        granted[0] = 0x5a;

        var host = sim.Dom0.Hv.Memory.AllocateFrames(1);
        var op = Map(sim.Dom0, sim.DomU.DomainId, 8, host);
        Assert.Equal((short)Gnttab.GntstOkay, op.Status);
        Assert.Equal((ushort)(Gnttab.GtfPermitAccess | Gnttab.GtfReading | Gnttab.GtfWriting), table[8].Flags);

        var mapped = sim.Dom0.Hv.Memory.Map(host << 12, 4096);
        Assert.Equal(0x5a, mapped[0]);
        mapped[1] = 0xa5;
        Assert.Equal(0xa5, granted[1]);

        var unmap = new GnttabUnmapGrantRef { HostAddr = host << 12, Handle = op.Handle };
        Assert.Equal(0, sim.Dom0.GrantTableOp(Gnttab.GnttabopUnmapGrantRef, ref unmap));
        Assert.Equal((short)Gnttab.GntstOkay, unmap.Status);
        Assert.Equal((ushort)Gnttab.GtfPermitAccess, table[8].Flags);
        mapped[2] = 0x77;
        Assert.NotEqual(0x77, granted[2]);
        Assert.Equal(0, mapped[0]);

        sim.Dom0.GrantTableOp(Gnttab.GnttabopUnmapGrantRef, ref unmap);
        Assert.Equal((short)Gnttab.GntstBadHandle, unmap.Status);
    }

    [Fact]
    public void Flags_clear_only_when_the_last_mapping_goes()
    {
        using var sim = new Simulation();
        var table = MapTable(sim.DomU);
        Grant(sim.DomU, table, 9, 0);
        var a = Map(sim.Dom0, sim.DomU.DomainId, 9, sim.Dom0.Hv.Memory.AllocateFrames(1));
        var b = Map(sim.Dom0, sim.DomU.DomainId, 9, sim.Dom0.Hv.Memory.AllocateFrames(1), readOnly: true);
        Assert.NotEqual(a.Handle, b.Handle);
        var unmap = new GnttabUnmapGrantRef { Handle = a.Handle };
        sim.Dom0.GrantTableOp(Gnttab.GnttabopUnmapGrantRef, ref unmap);
        Assert.Equal((ushort)(Gnttab.GtfPermitAccess | Gnttab.GtfReading), table[9].Flags);
        unmap = new GnttabUnmapGrantRef { Handle = b.Handle };
        sim.Dom0.GrantTableOp(Gnttab.GnttabopUnmapGrantRef, ref unmap);
        Assert.Equal((ushort)Gnttab.GtfPermitAccess, table[9].Flags);
    }

    [Fact]
    public void Mapping_an_ungranted_wrong_domain_revoked_or_readonly_grant_fails()
    {
        using var sim = new Simulation();
        var other = new Guest(sim.Xen.CreateDomain());
        var table = MapTable(sim.DomU);
        var host = sim.Dom0.Hv.Memory.AllocateFrames(1);

        Assert.Equal((short)Gnttab.GntstGeneralError, Map(sim.Dom0, sim.DomU.DomainId, 10, host).Status);

        Grant(sim.DomU, table, 11, other.DomainId);
        Assert.Equal((short)Gnttab.GntstGeneralError, Map(sim.Dom0, sim.DomU.DomainId, 11, host).Status);

        Grant(sim.DomU, table, 12, 0);
        Volatile.Write(ref table[12].Flags, 0);
        Assert.Equal((short)Gnttab.GntstGeneralError, Map(sim.Dom0, sim.DomU.DomainId, 12, host).Status);

        Grant(sim.DomU, table, 13, 0, readOnly: true);
        Assert.Equal((short)Gnttab.GntstGeneralError, Map(sim.Dom0, sim.DomU.DomainId, 13, host).Status);
        Assert.Equal((short)Gnttab.GntstOkay, Map(sim.Dom0, sim.DomU.DomainId, 13, host, readOnly: true).Status);
        Assert.Equal((ushort)(Gnttab.GtfPermitAccess | Gnttab.GtfReadonly | Gnttab.GtfReading), table[13].Flags);

        Assert.Equal((short)Gnttab.GntstBadGntref, Map(sim.Dom0, sim.DomU.DomainId, 512, host).Status);
        Assert.Equal((short)Gnttab.GntstBadDomain, Map(sim.Dom0, 99, 8, host).Status);
    }

    [Fact]
    public void Copy_between_grants_and_own_frames_and_read_only_enforced()
    {
        using var sim = new Simulation();
        var table = MapTable(sim.DomU);
        var source = Grant(sim.DomU, table, 8, 0, readOnly: true);
        var dest = Grant(sim.DomU, table, 9, 0);
        source[16] = 0x42;
        var own = sim.Dom0.Hv.Memory.AllocateFrames(1);
        var ownBytes = sim.Dom0.Hv.Memory.Map(own << 12, 4096);

        var copy = new GnttabCopy { Len = 4, Flags = (ushort)Gnttab.GntcopySourceGref };
        copy.Source.Domid = sim.DomU.DomainId; copy.Source.U.Ref = 8; copy.Source.Offset = 16;
        copy.Dest.Domid = (ushort)XenConst.DomidSelf; copy.Dest.U.Gmfn = own; copy.Dest.Offset = 100;
        Assert.Equal(0, sim.Dom0.GrantTableOp(Gnttab.GnttabopCopy, ref copy));
        Assert.Equal((short)Gnttab.GntstOkay, copy.Status);
        Assert.Equal(0x42, ownBytes[100]);
        Assert.Equal((ushort)(Gnttab.GtfPermitAccess | Gnttab.GtfReadonly), table[8].Flags);

        ownBytes[0] = 0x99;
        copy = new GnttabCopy { Len = 1, Flags = (ushort)Gnttab.GntcopyDestGref };
        copy.Source.Domid = (ushort)XenConst.DomidSelf; copy.Source.U.Gmfn = own;
        copy.Dest.Domid = sim.DomU.DomainId; copy.Dest.U.Ref = 9;
        sim.Dom0.GrantTableOp(Gnttab.GnttabopCopy, ref copy);
        Assert.Equal((short)Gnttab.GntstOkay, copy.Status);
        Assert.Equal(0x99, dest[0]);

        copy.Dest.U.Ref = 8;
        sim.Dom0.GrantTableOp(Gnttab.GnttabopCopy, ref copy);
        Assert.Equal((short)Gnttab.GntstGeneralError, copy.Status);
        Assert.Equal(0x42, source[16]);

        copy.Dest.U.Ref = 9; copy.Dest.Offset = 4095; copy.Len = 2;
        sim.Dom0.GrantTableOp(Gnttab.GnttabopCopy, ref copy);
        Assert.Equal((short)Gnttab.GntstBadCopyArg, copy.Status);

        var steal = new GnttabCopy { Len = 1 };
        steal.Source.Domid = 0; steal.Source.U.Gmfn = own;
        steal.Dest.Domid = (ushort)XenConst.DomidSelf; steal.Dest.U.Gmfn = sim.DomU.ArgumentFrame + 1;
        sim.DomU.GrantTableOp(Gnttab.GnttabopCopy, ref steal);
        Assert.Equal((short)Gnttab.GntstPermissionDenied, steal.Status);
    }

    /// <summary>
    /// gnttab_copy_one's order, as real Xen 4.17 answers (tests/Xen.Conformance): both ends' domains before either
    /// grant, a frame only as DOMID_SELF even for dom0, the offsets only once both ends are claimed.
    /// </summary>
    [Fact]
    public void Copy_checks_both_domains_then_the_ends_then_the_offsets()
    {
        using var sim = new Simulation();
        static GnttabCopy Between(ushort sourceDom, uint sourceRef, ushort destDom, uint destRef, ushort flags) =>
            new() { Len = 8, Flags = flags, Source = { Domid = sourceDom, U = { Ref = sourceRef } }, Dest = { Domid = destDom, U = { Ref = destRef } } };
        const ushort both = (ushort)(Gnttab.GntcopySourceGref | Gnttab.GntcopyDestGref);
        var self = (ushort)XenConst.DomidSelf;

        var copy = Between(self, 0xfffff0, 99, 0, both);
        sim.Dom0.GrantTableOp(Gnttab.GnttabopCopy, ref copy);
        Assert.Equal((short)Gnttab.GntstBadDomain, copy.Status);

        copy = Between(sim.DomU.DomainId, 0, self, 0xfffff0, (ushort)Gnttab.GntcopyDestGref);
        sim.Dom0.GrantTableOp(Gnttab.GnttabopCopy, ref copy);
        Assert.Equal((short)Gnttab.GntstPermissionDenied, copy.Status);

        copy = Between(sim.Dom0.DomainId, 0, self, 0xfffff0, (ushort)Gnttab.GntcopyDestGref);
        sim.Dom0.GrantTableOp(Gnttab.GnttabopCopy, ref copy);
        Assert.Equal((short)Gnttab.GntstPermissionDenied, copy.Status);

        copy = Between(self, 0xfffff0, self, 0xfffff0, both);
        copy.Source.Offset = 4000;
        copy.Len = 200;
        sim.Dom0.GrantTableOp(Gnttab.GnttabopCopy, ref copy);
        Assert.Equal((short)Gnttab.GntstBadGntref, copy.Status);
    }
}
