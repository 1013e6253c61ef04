namespace Xen.Conformance.Cases;

/// <summary>
/// XEN_DOMCTL_getdomaininfo, the domctl through which dom0 finds a guest's shared_info (common/domctl.c): the
/// interface version checked first, then the domain, then XSM (dom0 only; a guest, even about itself, -EPERM).
/// </summary>
public static class DomctlCases
{
    /// <summary>Runs every single-domain case.</summary>
    public static void RunSelf(IXenDomain xen, CaseLog log)
    {
        log.Run("domctl.getdomaininfo.own_domid", () => DomainInfo.Answer(xen, xen.DomainId, null));
        log.Run("domctl.getdomaininfo.no_such_domain", () => DomainInfo.Answer(xen, Channels.NoSuchDomain, null));
        log.Run("domctl.getdomaininfo.wrong_interface_version", () =>
            DomainInfo.Answer(xen, xen.DomainId, null, (uint)Domctl.XenDomctlInterfaceVersion - 1));
    }

    /// <summary>Cases an unprivileged domain runs against dom0, which it may not ask about.</summary>
    public static void RunUnprivileged(IXenDomain xen, CaseLog log) =>
        log.Run("domctl.getdomaininfo.dom0", () => DomainInfo.Answer(xen, 0, null));
}
