namespace Xen.Simulator.Hypercalls;

/// <summary>
/// __HYPERVISOR_domctl (common/domctl.c), XEN_DOMCTL_getdomaininfo only: the interface version first (-EACCES), then
/// the domain (Xen 4.17 answers the first live domain at or above the one asked for; none, -ESRCH), then XSM's
/// dummy policy (dom0 only, so a guest gets -EPERM even about itself). Other domctls are -ENOSYS here.
/// </summary>
internal static unsafe class DomctlOp
{
    internal static long Handle(HypercallContext call, ulong arg)
    {
        var op = call.Memory.Pointer<XenDomctl>(arg);
        if (op is null)
        {
            return Errno.Fault;
        }

        if (op->InterfaceVersion != Domctl.XenDomctlInterfaceVersion)
        {
            return Errno.Of(XenErrno.XenEacces);
        }

        if (op->Cmd != Domctl.XenDomctlGetdomaininfo)
        {
            return call.Domain.IsPrivileged ? Errno.NoSys : Errno.Permission;
        }

        var target = call.Domain.Xen.Domains.Where(d => d.DomainId >= op->Domain).MinBy(d => d.DomainId);
        if (target is null)
        {
            return Errno.NoSuchDomain;
        }

        if (!call.Domain.IsPrivileged)
        {
            return Errno.Permission;
        }

        op->U.Getdomaininfo = Info(target);
        op->Domain = target.DomainId;
        return 0;
    }

    private static XenDomctlGetdomaininfo Info(SimulatedDomain d) => new()
    {
        Domain = d.DomainId,
        Flags = (d.IsShutDown ? Domctl.XenDominfShutdown : Domctl.XenDominfRunning) | Domctl.XenDominfHvmGuest,
        TotPages = d.Memory.FrameCount,
        MaxPages = d.Memory.FrameCount,
        // Xen answers the gfn an HVM guest placed its shared_info at (its M2P entry), or INVALID_GFN before.
        SharedInfoFrame = d.SharedInfoGfn ?? ulong.MaxValue,
        NrOnlineVcpus = (uint)d.VcpuCount,
        MaxVcpuId = (uint)d.VcpuCount - 1,
    };
}
