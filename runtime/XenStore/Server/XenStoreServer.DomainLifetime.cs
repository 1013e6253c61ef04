using Xen.XenStore.Protocol;

namespace Xen.XenStore.Server;

public sealed partial class XenStoreServer
{
    /// <summary>The domains introduced and not released, for a daemon that checks which of them still run.</summary>
    /// <returns>Their ids, in no particular order.</returns>
    public uint[] IntroducedDomains()
    {
        lock (_lock) return [.. _domains.Keys];
    }

    /// <summary>
    /// Forgets a domain that is dying or gone without an <c>XS_RELEASE</c> (the daemon learnt it from Xen, as C
    /// xenstored does on <c>VIRQ_DOM_EXC</c>): its connection closes, its connector's handle is disposed, and
    /// <c>@releaseDomain</c> fires.
    /// </summary>
    /// <param name="domainId">The domain.</param>
    /// <returns>False when the domain was not introduced (or already released).</returns>
    public bool ReleaseDomain(uint domainId)
    {
        bool released;
        try
        {
            lock (_lock)
            {
                released = ReleaseLocked(domainId);
                if (released) FireOutsideRequest(SpecialChange(XsPath.ReleaseDomain));
            }
        }
        finally
        {
            DisposeReleasedHandles();
        }
        return released;
    }

    /// <summary>
    /// Fires <c>@releaseDomain</c> for a domain that shut down or crashed but still exists (C xenstored does, so that
    /// toolstacks watching it, <c>xl</c> among them, notice and destroy the domain).
    /// </summary>
    public void AnnounceDomainShutdown()
    {
        lock (_lock) FireOutsideRequest(SpecialChange(XsPath.ReleaseDomain));
    }

    private void FireOutsideRequest(XsChange change)
    {
        try
        {
            Fire(change);
        }
        finally
        {
            _firedByThisRequest.Clear();
        }
    }
}
