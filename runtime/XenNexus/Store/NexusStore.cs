using Xen.XenStore.Client;
using Xen.XenStore.Client.Transports;

namespace Xen.Nexus.Store;

/// <summary>
/// The guest's XenStore connection once <see cref="XenStoreStep"/> attached it: the client on the store ring page,
/// the port of <c>HVM_PARAM_STORE_EVTCHN</c>, our domain id and home (<c>/local/domain/&lt;domid&gt;</c>) as the
/// store reports them.
/// </summary>
public sealed class NexusStore
{
    internal NexusStore(XenStoreClient client, XsRingTransport transport, ulong pageGfn, uint port, uint domainId, string name)
    {
        Client = client;
        Transport = transport;
        PageGfn = pageGfn;
        Port = port;
        DomainId = domainId;
        Name = name;
        Home = $"/local/domain/{domainId}";
    }

    /// <summary>The client on the ring.</summary>
    public XenStoreClient Client { get; }

    /// <summary>The ring transport under <see cref="Client"/>.</summary>
    public XsRingTransport Transport { get; }

    /// <summary>The store page's frame (<c>HVM_PARAM_STORE_PFN</c>).</summary>
    public ulong PageGfn { get; }

    /// <summary>The store's event channel (<c>HVM_PARAM_STORE_EVTCHN</c>).</summary>
    public uint Port { get; }

    /// <summary>Our domain id, from the <c>domid</c> key the toolstack wrote.</summary>
    public uint DomainId { get; }

    /// <summary>Our name, from the <c>name</c> key.</summary>
    public string Name { get; }

    /// <summary>Our home path, where relative keys resolve.</summary>
    public string Home { get; }

    /// <summary>The absolute path of <paramref name="key"/>: itself when absolute, else under <see cref="Home"/>.</summary>
    public string PathOf(string key) => key.StartsWith('/') ? key : key.Length == 0 ? Home : $"{Home}/{key}";
}
