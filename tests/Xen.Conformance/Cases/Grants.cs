namespace Xen.Conformance.Cases;

/// <summary>GNTTABOP_* calls the cases make, each returning Xen's GNTST_ status (or the hypercall's errno).</summary>
internal static class Grants
{
    /// <summary>A reference past any grant table (Xen's limit is far lower).</summary>
    internal const uint RefOutOfRange = 0x00ff_fff0;

    /// <summary>A maptrack handle no domain has.</summary>
    internal const uint BadHandle = 0xffff_fff0;

    /// <summary>
    /// GNTTABOP_map_grant_ref with GNTMAP_device_map and no host mapping: Xen checks and pins the grant exactly as for
    /// a host mapping, but no page table of the caller changes (a Linux kernel's own page tables stay its own).
    /// </summary>
    internal static (string Answer, GnttabMapGrantRef Op) MapForDevice(IXenDomain xen, ushort dom, uint gref, bool readOnly, uint? flags = null)
    {
        var op = new GnttabMapGrantRef
        {
            Dom = dom,
            Ref = gref,
            Flags = flags ?? (uint)(Gnttab.GntmapDeviceMap | (readOnly ? Gnttab.GntmapReadonly : 0)),
        };
        long rc = xen.GrantTableOp(Gnttab.GnttabopMapGrantRef, ref op);
        return (rc != 0 ? Answers.Rc(rc) : Answers.GrantStatus(op.Status), op);
    }

    /// <summary>GNTTABOP_unmap_grant_ref of a device mapping (its dev_bus_addr, no host address).</summary>
    internal static string Unmap(IXenDomain xen, uint handle, ulong devBusAddr)
    {
        var op = new GnttabUnmapGrantRef { Handle = handle, DevBusAddr = devBusAddr };
        long rc = xen.GrantTableOp(Gnttab.GnttabopUnmapGrantRef, ref op);
        return rc != 0 ? Answers.Rc(rc) : Answers.GrantStatus(op.Status);
    }

    /// <summary>Maps for a device and, if Xen allowed it, unmaps at once; the answer is the map's, plus the unmap's when it is not okay.</summary>
    internal static string MapAndUnmap(IXenDomain xen, ushort dom, uint gref, bool readOnly, uint? flags = null)
    {
        var (answer, op) = MapForDevice(xen, dom, gref, readOnly, flags);
        if (op.Status != Gnttab.GntstOkay) return answer;
        string unmapped = Unmap(xen, op.Handle, op.DevBusAddr);
        return unmapped == Answers.GrantStatus((short)Gnttab.GntstOkay) ? answer : $"{answer} unmap={unmapped}";
    }

    /// <summary>One end of a copy: a grant reference of domain Domid, or (Gref false) a frame.</summary>
    internal readonly record struct End(ushort Domid, uint RefOrFrame, ushort Offset = 0, bool Gref = true);

    /// <summary>GNTTABOP_copy of <paramref name="length"/> bytes between two ends.</summary>
    internal static string Copy(IXenDomain xen, End source, End dest, ushort length)
    {
        var op = new GnttabCopy { Len = length };
        op.Source.Domid = source.Domid;
        op.Source.Offset = source.Offset;
        op.Dest.Domid = dest.Domid;
        op.Dest.Offset = dest.Offset;
        if (source.Gref) op.Source.U.Ref = source.RefOrFrame; else op.Source.U.Gmfn = source.RefOrFrame;
        if (dest.Gref) op.Dest.U.Ref = dest.RefOrFrame; else op.Dest.U.Gmfn = dest.RefOrFrame;
        op.Flags = (ushort)((source.Gref ? Gnttab.GntcopySourceGref : 0) | (dest.Gref ? Gnttab.GntcopyDestGref : 0));
        long rc = xen.GrantTableOp(Gnttab.GnttabopCopy, ref op);
        return rc != 0 ? Answers.Rc(rc) : Answers.GrantStatus(op.Status);
    }

    internal static string QuerySize(IXenDomain xen, ushort dom)
    {
        var op = new GnttabQuerySize { Dom = dom };
        long rc = xen.GrantTableOp(Gnttab.GnttabopQuerySize, ref op);
        if (rc != 0) return Answers.Rc(rc);
        if (op.Status != Gnttab.GntstOkay) return Answers.GrantStatus(op.Status);
        // nr_frames is how far the kernel grew its table, not Xen's answer to compare; its bounds are.
        string frames = op.NrFrames >= 1 && op.NrFrames <= op.MaxNrFrames ? "1<=nr_frames<=max" : $"nr_frames={op.NrFrames}";
        return $"{Answers.GrantStatus(op.Status)} {frames} max_nr_frames={op.MaxNrFrames}";
    }
}
