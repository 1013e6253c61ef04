namespace Xen.Simulator.Hypercalls;

/// <summary>Who is calling: the domain (Xen's current->domain) and its vCPU (current).</summary>
internal readonly record struct HypercallContext(SimulatedDomain Domain, int Vcpu)
{
    /// <summary>Guest memory of the caller, for its argument structs.</summary>
    internal Memory.GuestPhysicalMemory Memory => Domain.Memory;

    /// <summary>
    /// rcu_lock_domain_by_any_id plus the XSM check: DOMID_SELF or the caller's own id is the caller; another existing
    /// domain only for a privileged caller (-EPERM otherwise); no such domain, -ESRCH.
    /// </summary>
    internal long Target(ushort domid, out SimulatedDomain? target)
    {
        if (domid == XenConst.DomidSelf || domid == Domain.DomainId)
        {
            target = Domain;
            return 0;
        }

        target = Domain.Xen.Domain(domid);
        if (target is null)
        {
            return Errno.NoSuchDomain;
        }

        if (!Domain.IsPrivileged)
        {
            target = null;
            return Errno.Permission;
        }

        return 0;
    }

    /// <summary>A domain by id for binding (DOMID_SELF is the caller): -ESRCH if none.</summary>
    internal long Peer(ushort domid, out SimulatedDomain? peer)
    {
        peer = domid == XenConst.DomidSelf ? Domain : Domain.Xen.Domain(domid);
        return peer is null ? Errno.NoSuchDomain : 0;
    }
}
