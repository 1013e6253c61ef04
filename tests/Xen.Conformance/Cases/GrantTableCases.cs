using static Xen.Conformance.Cases.Grants;

namespace Xen.Conformance.Cases;

/// <summary>
/// Grant table cases one domain runs alone: query_size, and the checks Xen makes before it touches any grant
/// (common/grant_table.c): the domain, the flags, the handle, a copy's ends. None maps or pins anything.
/// </summary>
public static class GrantTableCases
{
    /// <summary>Runs every single-domain case.</summary>
    public static void RunSelf(IXenDomain xen, CaseLog log)
    {
        ushort self = (ushort)XenConst.DomidSelf, none = Channels.NoSuchDomain;
        log.Run("gnttab.query_size.self", () => QuerySize(xen, self));
        log.Run("gnttab.query_size.own_domid", () => QuerySize(xen, xen.DomainId));
        log.Run("gnttab.query_size.no_such_domain", () => QuerySize(xen, none));
        log.Run("gnttab.map.no_such_domain", () => MapAndUnmap(xen, none, 0, readOnly: true));
        log.Run("gnttab.map.neither_host_nor_device", () => MapAndUnmap(xen, none, 0, readOnly: true, flags: 0));
        log.Run("gnttab.unmap.bad_handle", () => Unmap(xen, BadHandle, 0));
        // One end is the case's; the other a reference past this domain's own table, so only the end under test can fail first.
        var past = new End(self, RefOutOfRange);
        log.Run("gnttab.copy.source_no_such_domain", () => Copy(xen, new End(none, 0), past, 8));
        log.Run("gnttab.copy.dest_no_such_domain", () => Copy(xen, past, new End(none, 0), 8));
        log.Run("gnttab.copy.source_past_the_table", () => Copy(xen, past, past, 8));
        log.Run("gnttab.copy.frame_of_own_domid", () => Copy(xen, new End(xen.DomainId, 0, Gref: false), past, 8));
        log.Run("gnttab.copy.frame_of_no_such_domain", () => Copy(xen, new End(none, 0, Gref: false), past, 8));
        log.Run("gnttab.copy.past_the_page", () => Copy(xen, past with { Offset = 4000 }, past, 200));
        log.Run("gnttab.unknown_op", () =>
        {
            var op = new GnttabQuerySize { Dom = self };
            return Answers.Rc(xen.GrantTableOp(EventChannelCases.UnknownCmd, ref op));
        });
    }

    /// <summary>Cases an unprivileged domain runs against dom0, which it may not act on.</summary>
    public static void RunUnprivileged(IXenDomain xen, CaseLog log)
    {
        log.Run("gnttab.query_size.dom0", () => QuerySize(xen, 0));
        log.Run("gnttab.copy.frame_of_dom0", () => Copy(xen, new End(0, 0, Gref: false), new End((ushort)XenConst.DomidSelf, RefOutOfRange), 8));
    }
}
