using Xen.Simulator.Grants;
using Xen.Simulator.Memory;

namespace Xen.Simulator.Hypercalls;

/// <summary>
/// __HYPERVISOR_grant_table_op(cmd, uop, count): GNTTABOP_query_size, setup_table, map_grant_ref, unmap_grant_ref
/// and copy on grant table v1, each op's result a GNTST_* status in its struct (common/grant_table.c); the hypercall
/// itself returns 0, or -EFAULT for an unreadable op array.
/// </summary>
internal static unsafe class GrantTableOp
{
    private const ulong InvalidGfn = ulong.MaxValue;

    internal static long Handle(HypercallContext call, ulong cmd, ulong uop, ulong count)
    {
        lock (call.Domain.Lock)
        {
            return cmd switch
            {
                Gnttab.GnttabopQuerySize => Each<GnttabQuerySize>(call, uop, count, QuerySize),
                Gnttab.GnttabopSetupTable => Each<GnttabSetupTable>(call, uop, count, SetupTable),
                Gnttab.GnttabopMapGrantRef => Each<GnttabMapGrantRef>(call, uop, count, Map),
                Gnttab.GnttabopUnmapGrantRef => Each<GnttabUnmapGrantRef>(call, uop, count, Unmap),
                Gnttab.GnttabopCopy => Each<GnttabCopy>(call, uop, count, GrantCopy.Copy),
                _ => Errno.NoSys,
            };
        }
    }

    internal delegate long Operation<T>(HypercallContext call, T* op) where T : unmanaged;

    private static long Each<T>(HypercallContext call, ulong uop, ulong count, Operation<T> operation) where T : unmanaged
    {
        if (count > int.MaxValue || !call.Memory.Contains(uop, (nuint)(count * (ulong)sizeof(T))))
        {
            return Errno.Fault;
        }

        for (var i = 0UL; i < count; i++)
        {
            var rc = operation(call, call.Memory.Pointer<T>(uop + i * (ulong)sizeof(T)));
            if (rc != 0)
            {
                return rc;
            }
        }

        return 0;
    }

    /// <summary>rcu_lock_domain_by_any_id and the XSM check, as a GNTST_* status.</summary>
    private static short Target(HypercallContext call, ushort domid, out SimulatedDomain? target) =>
        call.Target(domid, out target) switch
        {
            0 => Gnttab.GntstOkay,
            var rc when rc == Errno.Permission => Gnttab.GntstPermissionDenied,
            _ => Gnttab.GntstBadDomain,
        };

    private static long QuerySize(HypercallContext call, GnttabQuerySize* op)
    {
        op->Status = Target(call, op->Dom, out var domain);
        if (op->Status == Gnttab.GntstOkay)
        {
            op->NrFrames = domain!.Grants.NrFrames;
            op->MaxNrFrames = domain.Grants.MaxFrames;
        }

        return 0;
    }

    private static long SetupTable(HypercallContext call, GnttabSetupTable* op)
    {
        op->Status = Target(call, op->Dom, out var domain);
        if (op->Status != Gnttab.GntstOkay)
        {
            return 0;
        }

        var grants = domain!.Grants;
        if (op->NrFrames > grants.MaxFrames || !grants.Grow(op->NrFrames))
        {
            op->Status = Gnttab.GntstGeneralError;
            return 0;
        }

        var list = op->FrameList.P;
        if (op->NrFrames > 0 && !call.Memory.Contains(list, (nuint)(op->NrFrames * sizeof(ulong))))
        {
            return Errno.Fault;
        }

        for (var i = 0U; i < op->NrFrames; i++)
        {
            *call.Memory.Pointer<ulong>(list + i * sizeof(ulong)) = grants.PlacedAt(i) ?? InvalidGfn;
        }

        return 0;
    }

    private static long Map(HypercallContext call, GnttabMapGrantRef* op)
    {
        op->Status = MapOne(call, op);
        return 0;
    }

    private static short MapOne(HypercallContext call, GnttabMapGrantRef* op)
    {
        var mapper = call.Domain;
        if ((op->Flags & (Gnttab.GntmapHostMap | Gnttab.GntmapDeviceMap)) == 0)
        {
            return Gnttab.GntstBadGntref;
        }

        var granter = mapper.Xen.Domain(op->Dom);
        if (granter is null)
        {
            return Gnttab.GntstBadDomain;
        }

        if (op->Ref >= granter.Grants.NrEntries)
        {
            return Gnttab.GntstBadGntref;
        }

        var hostMap = (op->Flags & Gnttab.GntmapHostMap) != 0;
        if (hostMap && (Frames.Offset(op->HostAddr) != 0 || Frames.Of(op->HostAddr) >= mapper.Memory.FrameCount))
        {
            return Gnttab.GntstGeneralError;
        }

        var readOnly = (op->Flags & Gnttab.GntmapReadonly) != 0;
        var entry = granter.Grants.Entry(op->Ref);
        var frame = entry->Frame;
        if (frame >= granter.Memory.FrameCount)
        {
            return Gnttab.GntstBadPage;
        }

        var status = granter.Grants.Pin(op->Ref, mapper.DomainId, readOnly);
        if (status != Gnttab.GntstOkay)
        {
            return status;
        }

        if (hostMap)
        {
            mapper.Memory.Place(Frames.Of(op->HostAddr), granter.Memory.Backing(frame), readOnly);
        }

        op->Handle = mapper.Grants.Track(new GrantMapping(granter, op->Ref, hostMap ? op->HostAddr : 0, readOnly));
        op->DevBusAddr = Frames.Address(frame);
        return Gnttab.GntstOkay;
    }

    private static long Unmap(HypercallContext call, GnttabUnmapGrantRef* op)
    {
        var mapper = call.Domain;
        var mapping = mapper.Grants.Tracked(op->Handle);
        if (mapping is null)
        {
            op->Status = Gnttab.GntstBadHandle;
            return 0;
        }

        if (op->HostAddr != 0 && op->HostAddr != mapping.HostAddress)
        {
            op->Status = Gnttab.GntstGeneralError;
            return 0;
        }

        if (mapping.HostAddress != 0 || op->HostAddr != 0)
        {
            mapper.Memory.Restore(Frames.Of(mapping.HostAddress));
        }

        mapper.Grants.Untrack(op->Handle);
        mapping.Granter.Grants.Unpin(mapping.Ref, mapping.ReadOnly);
        op->Status = Gnttab.GntstOkay;
        return 0;
    }
}
