using Xen.Abi;
using Xen.Abi.Io;
using Xen.Linux.Events;
using Xen.Linux.Grants;
using Xen.Services;
using Xen.XenStore.Server;
using Xen.XenStore.Server.Transport;

namespace Xen.XenStore.Daemon.Dom0;

/// <summary>
/// A domain the toolstack introduced (<c>XS_INTRODUCE</c>): its store page mapped through gntdev by the grant
/// reference the toolstack reserves for XenStore (<c>GNTTAB_RESERVED_XENSTORE</c>, as C xenstored maps it; the
/// frame number is then not needed), its port bound interdomain, and a ring connection on both.
/// </summary>
internal sealed unsafe class GuestStoreRing : IDisposable
{
    private readonly ForeignPages page;
    private readonly LinuxEventChannelService events;
    private uint localPort;
    private XsRingServerConnection? ring;

    private GuestStoreRing(ForeignPages page, LinuxEventChannelService events)
    {
        this.page = page;
        this.events = events;
    }

    /// <summary>Connects <paramref name="introduction"/>'s domain; the server's <see cref="XenStoreServer.DomainConnector"/>.</summary>
    /// <exception cref="GrantRefusedException">Xen refused the mapping (no such domain, or no grant at the reserved reference).</exception>
    /// <exception cref="Xen.Linux.Devices.XenDeviceException">A device refused (the port is not the domain's unbound one, say).</exception>
    public static GuestStoreRing Connect(XsIntroduction introduction, LinuxForeignMemoryService gntdev, LinuxEventChannelService events)
    {
        ushort domain = checked((ushort)introduction.DomainId);
        var page = gntdev.Map(domain, [(uint)GrantTable.GnttabReservedXenstore], readOnly: false);
        var guest = new GuestStoreRing(page, events);
        try
        {
            guest.localPort = events.BindInterdomain(domain, introduction.Port, _ => Volatile.Read(ref guest.ring)?.Notify());
            var connection = new XsRingServerConnection(introduction.Server, introduction.DomainId, (XenstoreDomainInterface*)page.Address, () => events.Notify(guest.localPort));
            Volatile.Write(ref guest.ring, connection);
            connection.Notify();
            events.Notify(guest.localPort);
            return guest;
        }
        catch
        {
            guest.Dispose();
            throw;
        }
    }

    /// <summary>Unbinds the port, closes the connection and unmaps the page.</summary>
    public void Dispose()
    {
        if (localPort != 0)
        {
            try { events.Close(localPort); } catch (Exception e) when (e is ArgumentException or Xen.Linux.Devices.XenDeviceException) { }
        }
        ring?.Dispose();
        page.Dispose();
    }
}
