using Xen.Simulator.Memory;

namespace Xen.Simulator.Hypercalls;

/// <summary>
/// __HYPERVISOR_memory_op: XENMEM_add_to_physmap with XENMAPSPACE_shared_info (the shared_info page placed at the
/// guest frame) and XENMAPSPACE_grant_table (grant frame idx placed there, the table grown to it first).
/// </summary>
internal static unsafe class MemoryOp
{
    internal static long Handle(HypercallContext call, ulong cmd, ulong arg) => cmd switch
    {
        XenMem.XenmemAddToPhysmap => AddToPhysmap(call, arg),
        _ => Errno.NoSys,
    };

    private static long AddToPhysmap(HypercallContext call, ulong arg)
    {
        var xatp = call.Memory.Pointer<XenAddToPhysmap>(arg);
        if (xatp is null)
        {
            return Errno.Fault;
        }

        var rc = call.Target(xatp->Domid, out var target);
        if (rc != 0)
        {
            return rc;
        }

        var domain = target!;
        if (xatp->Gpfn >= domain.Memory.FrameCount)
        {
            return Errno.Invalid;
        }

        lock (domain.Lock)
        {
            switch (xatp->Space)
            {
                case XenMem.XenmapspaceSharedInfo:
                    if (xatp->Idx != 0)
                    {
                        return Errno.Invalid;
                    }

                    domain.Memory.Place(xatp->Gpfn, domain.SharedInfoMachineFrame);
                    domain.SharedInfoGfn = xatp->Gpfn;
                    return 0;

                case XenMem.XenmapspaceGrantTable:
                    return domain.Grants.MapFrame(xatp->Idx, xatp->Gpfn);

                default:
                    return Errno.Invalid;
            }
        }
    }
}
