using Xen.Linux.Events;
using Xen.Linux.Grants;
using Xen.Linux.Hypercalls;
using Xen.Services;
using Xen.XenStore.Client;

namespace Xen.Linux;

/// <summary>
/// The agent target: a domain's <see cref="XenDomainServices"/> over Linux's <c>/dev/xen</c> devices, for a program
/// in a guest's or dom0's user space. Disposing closes every device and the store connection it opened.
/// </summary>
public sealed class LinuxXenServices : IDisposable
{
    private readonly List<IDisposable> owned;

    private LinuxXenServices(XenDomainServices services, LinuxEventChannelService events, PrivcmdDevice? privcmd, List<IDisposable> owned)
    {
        Services = services;
        EventChannels = events;
        Privcmd = privcmd;
        this.owned = owned;
    }

    /// <summary>What drivers use: the domain's id and home, XenStore, event channels, grants, foreign memory.</summary>
    public XenDomainServices Services { get; }

    /// <summary>The event channels, with what only <c>/dev/xen/evtchn</c> offers (<see cref="LinuxEventChannelService.BindVirq"/>).</summary>
    public LinuxEventChannelService EventChannels { get; }

    /// <summary>Hypercalls; null when not opened.</summary>
    public PrivcmdDevice? Privcmd { get; }

    /// <summary>
    /// Opens <c>evtchn</c> and <c>gntalloc</c> (and <c>gntdev</c> and <c>privcmd</c> unless told not to), connects to
    /// XenStore and reads this domain's id from it (<c>domid</c> under the connection's home).
    /// </summary>
    /// <exception cref="Devices.XenDeviceException">A device is missing or refused; what was opened is closed again.</exception>
    /// <exception cref="XsConnectionException">No XenStore to connect to.</exception>
    public static async Task<LinuxXenServices> OpenAsync(LinuxXenServicesOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new LinuxXenServicesOptions();
        var owned = new List<IDisposable>();
        try
        {
            string Device(string name) => Path.Combine(options.DeviceDirectory, name);
            var events = LinuxEventChannelService.Open(Device("evtchn"), options.Log);
            owned.Add(events);
            var grants = LinuxGrantService.Open(Device("gntalloc"));
            owned.Add(grants);
            LinuxForeignMemoryService? foreign = null;
            if (options.ForeignMemory)
            {
                foreign = LinuxForeignMemoryService.Open(Device("gntdev"));
                owned.Add(foreign);
            }
            PrivcmdDevice? privcmd = null;
            if (options.Hypercalls)
            {
                privcmd = PrivcmdDevice.Open(Device("privcmd"));
                owned.Add(privcmd);
            }
            var store = options.Store;
            if (store is null)
            {
                store = XenStoreClient.Open();
                owned.Add(store);
            }
            ushort domainId = await ReadDomainIdAsync(store, cancellationToken).ConfigureAwait(false);
            var services = new XenDomainServices(domainId, store, events, grants, foreign, options.Log);
            return new LinuxXenServices(services, events, privcmd, owned);
        }
        catch
        {
            Dispose(owned);
            throw;
        }
    }

    /// <summary>The id xenstored knows this connection by: the relative <c>domid</c> resolves under its own home.</summary>
    private static async Task<ushort> ReadDomainIdAsync(XenStoreClient store, CancellationToken cancellationToken)
    {
        string text = await store.ReadStringAsync("domid", cancellationToken).ConfigureAwait(false);
        return ushort.TryParse(text, out var id)
            ? id
            : throw new InvalidDataException($"XenStore's domid is \"{text}\", not a domain id");
    }

    /// <summary>Closes the devices (which unbinds every port) and the store connection it opened; granted and mapped pages stay until disposed.</summary>
    public void Dispose() => Dispose(owned);

    private static void Dispose(List<IDisposable> owned)
    {
        for (int i = owned.Count - 1; i >= 0; i--) owned[i].Dispose();
        owned.Clear();
    }
}
