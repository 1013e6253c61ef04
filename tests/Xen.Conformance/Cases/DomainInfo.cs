namespace Xen.Conformance.Cases;

/// <summary>
/// XEN_DOMCTL_getdomaininfo as the cases use it: who may ask (dom0; a guest gets XSM's -EPERM), which domain answers
/// (Xen 4.17 answers the first domain at or above the one asked for), and the guest's shared_info frame.
/// </summary>
internal static class DomainInfo
{
    /// <summary>getdomaininfo of <paramref name="domain"/> with the given interface version: Xen's return and the struct.</summary>
    internal static (long Rc, XenDomctl Op) Get(IXenDomain xen, ushort domain, uint? interfaceVersion = null)
    {
        var op = new XenDomctl
        {
            Cmd = (uint)Domctl.XenDomctlGetdomaininfo,
            InterfaceVersion = interfaceVersion ?? (uint)Domctl.XenDomctlInterfaceVersion,
            Domain = domain,
        };
        long rc = xen.Domctl(ref op);
        return (rc, op);
    }

    /// <summary><c>0 domain=peer</c> (the domain that answered, relative to the asker), else Xen's errno.</summary>
    internal static string Answer(IXenDomain xen, ushort domain, ushort? peer, uint? interfaceVersion = null)
    {
        var (rc, op) = Get(xen, domain, interfaceVersion);
        return rc != 0 ? Answers.Rc(rc) : $"0 domain={Answers.Domain(op.U.Getdomaininfo.Domain, xen.DomainId, peer)}";
    }
}
