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
internal sealed unsafe class GuestStoreConnector(SimulatedXen xen, EventChannels dom0Events, Action<string> log)
{
    public IDisposable? Connect(XsIntroduction introduction)
    {
        var guest = xen.Domain((ushort)introduction.DomainId)
            ?? throw new InvalidOperationException($"XS_INTRODUCE of domain {introduction.DomainId}, which does not exist");
        var page = (XenstoreDomainInterface*)guest.Memory.Map(XenPage.Address(introduction.Frame), XenPage.Size);
        var served = new GuestRing();
        var local = dom0Events.BindInterdomain((ushort)introduction.DomainId, introduction.Port, (_, _) => served.Connection?.Notify());
        served.Port = local;
        served.Events = dom0Events;
        served.Connection = new XsRingServerConnection(introduction.Server, introduction.DomainId, page, () => dom0Events.Send(local));
        log($"xenstored: domain {introduction.DomainId}: ring at gfn 0x{introduction.Frame:x}, port {introduction.Port} (dom0 port {local})");
        served.Connection.Notify(); // what the guest wrote before we bound
        return served;
    }

    private sealed class GuestRing : IDisposable
    {
        public volatile XsRingServerConnection? Connection;
        public uint Port;
        public EventChannels? Events;

        public void Dispose()
        {
            Connection?.Dispose();
            try { Events?.Close(Port); }
            catch (Exception e) when (e is ArgumentException or Xen.Nexus.Hypercalls.XenHypercallException or HypervisorFaultException) { }
        }
    }
}
