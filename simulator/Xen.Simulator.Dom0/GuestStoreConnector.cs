using Xen.Abi.Io;
using Xen.Nexus.Events;
using Xen.Nexus.Platform;
using Xen.XenStore.Server.Transport;

namespace Xen.Simulator.Dom0;

/// <summary>
/// xenstored's side of <c>XS_INTRODUCE</c> (the server's <see cref="XenStoreServer.DomainConnector"/>): maps the
/// guest's store page (a privileged foreign mapping; here the guest's memfd) and binds dom0's end of the guest's
/// unbound port with <c>EVTCHNOP_bind_interdomain</c>, then serves the page with an <see cref="XsRingServerConnection"/>.
/// </summary>
internal sealed unsafe class GuestStoreConnector(SimulatedXen xen, EventChannels dom0Events, Action<string> log) : IDisposable
{
    private readonly HashSet<GuestRing> served = new();

    /// <summary>
    /// Stops serving every ring still introduced: the server's ring connections read the guests' pages, which must not
    /// go away under them (dom0 stops before Xen unmaps the guests' memory).
    /// </summary>
    public void Dispose()
    {
        GuestRing[] rings;
        lock (served) rings = served.ToArray();
        foreach (var ring in rings) ring.Dispose();
    }

    public IDisposable? Connect(XsIntroduction introduction)
    {
        var guest = xen.Domain((ushort)introduction.DomainId)
            ?? throw new InvalidOperationException($"XS_INTRODUCE of domain {introduction.DomainId}, which does not exist");
        var page = (XenstoreDomainInterface*)guest.Memory.Map(XenPage.Address(introduction.Frame), XenPage.Size);
        var ring = new GuestRing(served);
        var local = dom0Events.BindInterdomain((ushort)introduction.DomainId, introduction.Port, (_, _) => ring.Connection?.Notify());
        ring.Port = local;
        ring.Events = dom0Events;
        ring.Connection = new XsRingServerConnection(introduction.Server, introduction.DomainId, page, () => dom0Events.Send(local));
        lock (served) served.Add(ring);
        log($"xenstored: domain {introduction.DomainId}: ring at gfn 0x{introduction.Frame:x}, port {introduction.Port} (dom0 port {local})");
        ring.Connection.Notify(); // what the guest wrote before we bound
        return ring;
    }

    private sealed class GuestRing(HashSet<GuestRing> served) : IDisposable
    {
        public volatile XsRingServerConnection? Connection;
        public uint Port;
        public EventChannels? Events;

        public void Dispose()
        {
            lock (served)
            {
                if (!served.Remove(this)) return;
            }
            Connection?.Dispose();
            try { Events?.Close(Port); }
            catch (Exception e) when (e is ArgumentException or Xen.Nexus.Hypercalls.XenHypercallException or HypervisorFaultException) { }
        }
    }
}
