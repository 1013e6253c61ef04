namespace Xen.Conformance.Tests.Simulator;

/// <summary>
/// A simulated guest granting as Linux's grant-table driver does: its table's first frame placed with
/// XENMAPSPACE_grant_table, entries from 8 up (Linux reserves 0-7), the frame and domid written before the flags;
/// ending access clears the flags only while Xen shows no GTF_reading/GTF_writing (gnttab_end_foreign_access_ref_v1).
/// </summary>
public sealed unsafe class SimulatedGranter : IGranter
{
    private const uint FirstRef = 8;

    private readonly SimulatedXenDomain xen;
    private readonly GrantEntryV1* table;
    private uint next = FirstRef;

    public SimulatedGranter(SimulatedXenDomain xen)
    {
        this.xen = xen;
        var memory = xen.Domain.Guest.Memory;
        ulong gfn = memory.AllocateFrames(1);
        var xatp = new XenAddToPhysmap { Domid = (ushort)XenConst.DomidSelf, Space = XenMem.XenmapspaceGrantTable, Idx = 0, Gpfn = gfn };
        var bytes = new Span<byte>(&xatp, sizeof(XenAddToPhysmap));
        long rc = xen.Hypercall(XenConst._HypervisorMemoryOp, XenMem.XenmemAddToPhysmap, bytes);
        if (rc != 0) throw new InvalidOperationException($"XENMEM_add_to_physmap of the grant table: {rc}");
        table = (GrantEntryV1*)memory.Map(gfn << 12, 4096);
    }

    public uint Grant(ushort domain, bool readOnly)
    {
        uint gref = next++;
        ulong page = xen.Domain.Guest.Memory.AllocateFrames(1);
        table[gref].Domid = domain;
        table[gref].Frame = (uint)page;
        Volatile.Write(ref table[gref].Flags, (ushort)(Gnttab.GtfPermitAccess | (readOnly ? Gnttab.GtfReadonly : 0)));
        return gref;
    }

    public void EndAccess(uint reference)
    {
        ref ushort flags = ref table[reference].Flags;
        while (true)
        {
            ushort old = Volatile.Read(ref flags);
            if ((old & (Gnttab.GtfReading | Gnttab.GtfWriting)) != 0) return; // in use: Linux defers it
            if (Interlocked.CompareExchange(ref flags, 0, old) == old) return;
        }
    }
}
