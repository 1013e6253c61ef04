using Xen.Linux.Events;
using Xen.Linux.Grants;
using Xen.XenStore.Server;

namespace Xen.XenStore.Daemon.Dom0;

/// <summary>
/// The server as a real dom0's store, on Linux's <c>/dev/xen</c> devices as C xenstored uses them: dom0's kernel
/// (<see cref="KernelStoreRing"/>), each domain the toolstack introduces (<see cref="GuestStoreRing"/>, the server's
/// <see cref="XenStoreServer.DomainConnector"/>), and <c>VIRQ_DOM_EXC</c> for domains that end (<see cref="DomainExceptionWatcher"/>).
/// </summary>
internal sealed class Dom0Store : IDisposable
{
    private readonly LinuxEventChannelService events;
    private readonly LinuxForeignMemoryService gntdev;
    private readonly DomainInfoReader domains;
    private KernelStoreRing? kernel;
    private DomainExceptionWatcher? watcher;

    private Dom0Store(LinuxEventChannelService events, LinuxForeignMemoryService gntdev, DomainInfoReader domains)
    {
        this.events = events;
        this.gntdev = gntdev;
        this.domains = domains;
    }

    /// <summary>Opens <c>/dev/xen/evtchn</c>, <c>gntdev</c>, <c>privcmd</c> and <c>hypercall</c>; serves nothing until <see cref="Start"/>.</summary>
    /// <exception cref="Xen.Linux.Devices.XenDeviceException">A device is missing or refused (not dom0, or a driver not loaded).</exception>
    public static Dom0Store Open(Action<string> log)
    {
        var events = LinuxEventChannelService.Open(log: log);
        LinuxForeignMemoryService? gntdev = null;
        try
        {
            gntdev = LinuxForeignMemoryService.Open();
            return new Dom0Store(events, gntdev, DomainInfoReader.Open());
        }
        catch
        {
            gntdev?.Dispose();
            events.Dispose();
            throw;
        }
    }

    /// <summary>The connector to give the server: maps and binds an introduced domain's ring.</summary>
    public IDisposable ConnectGuest(XsIntroduction introduction) => GuestStoreRing.Connect(introduction, gntdev, events);

    /// <summary>Serves dom0's kernel and starts watching for domains that end.</summary>
    /// <returns>A line for the log.</returns>
    /// <exception cref="IOException">The kernel's page or port cannot be read.</exception>
    public string Start(XenStoreServer server, Action<string> log)
    {
        kernel = KernelStoreRing.Connect(server, events);
        watcher = new DomainExceptionWatcher(server, domains, events, log);
        return $"serving dom0's kernel (its port {kernel.KernelPort}, ours {kernel.LocalPort}) and introduced domains through /dev/xen";
    }

    /// <summary>Stops watching, closes dom0's kernel ring and every device (which unbinds their ports).</summary>
    public void Dispose()
    {
        watcher?.Dispose();
        kernel?.Dispose();
        domains.Dispose();
        gntdev.Dispose();
        events.Dispose();
    }
}
