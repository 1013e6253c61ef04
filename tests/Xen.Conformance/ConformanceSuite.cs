using Xen.Conformance.Cases;

namespace Xen.Conformance;

/// <summary>
/// The suite, written once for every adapter: what each domain runs alone, then dom0 and the guest together
/// (<see cref="CrossDomainCases"/>). Answers go to each side's <see cref="CaseLog"/>.
/// </summary>
public static class ConformanceSuite
{
    /// <summary>The peer-link keys dom0 writes; a guest on XenStore creates them (empty) first, so that it owns them.</summary>
    public static IReadOnlyList<string> Dom0Keys => Offer.Dom0Keys;

    /// <summary>The cases a domain runs on its own; an unprivileged one also tries what only dom0 may do.</summary>
    public static void RunAlone(IXenDomain xen, CaseLog log, bool privileged)
    {
        XenVersionCases.Run(xen, log);
        EventChannelCases.RunSelf(xen, log);
        GrantTableCases.RunSelf(xen, log);
        DomctlCases.RunSelf(xen, log);
        if (!privileged)
        {
            DomctlCases.RunUnprivileged(xen, log);
            EventChannelCases.RunUnprivileged(xen, log);
            GrantTableCases.RunUnprivileged(xen, log);
        }
    }

    /// <summary>The guest: its own cases, then the offer for dom0's cross-domain cases, until dom0 is done.</summary>
    public static async Task RunGuestAsync(IXenDomain xen, IGranter granter, IPeerLink link, CaseLog log, CancellationToken cancel)
    {
        RunAlone(xen, log, privileged: false);
        await CrossDomainCases.OfferAsync(xen, granter, link, log, cancel);
    }

    /// <summary>
    /// dom0's cases with the guest, once it has booted (its own cases run before the guest exists); returns every
    /// answer of the guest's, which it hands over through the link when it is done.
    /// </summary>
    public static Task<IReadOnlyList<CaseAnswer>> RunDom0WithGuestAsync(IXenDomain xen, IPeerLink link, CaseLog log, CancellationToken cancel) =>
        CrossDomainCases.RunDom0Async(xen, link, log, cancel);
}
