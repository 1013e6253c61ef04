using Xen.XenStore.Client;

namespace Xen.Services;

/// <summary>Everything a driver in one domain uses: who we are, XenStore, event channels and grants.</summary>
public sealed class XenDomainServices
{
    /// <summary>Bundles the services of domain <paramref name="domainId"/>.</summary>
    public XenDomainServices(ushort domainId, XenStoreClient store, IEventChannelService eventChannels, IGrantService grants, IForeignMemoryService? foreignMemory = null, Action<string>? log = null)
    {
        DomainId = domainId;
        Store = store;
        EventChannels = eventChannels;
        Grants = grants;
        ForeignMemory = foreignMemory;
        Home = $"/local/domain/{domainId}";
        Log = log ?? (_ => { });
    }

    /// <summary>This domain's id.</summary>
    public ushort DomainId { get; }

    /// <summary>This domain's home in the store, where relative keys resolve (<c>/local/domain/N</c>).</summary>
    public string Home { get; }

    /// <summary>The XenStore client.</summary>
    public XenStoreClient Store { get; }

    /// <summary>Event channels.</summary>
    public IEventChannelService EventChannels { get; }

    /// <summary>Granting (frontends).</summary>
    public IGrantService Grants { get; }

    /// <summary>Mapping and copying peers' grants (backends); null where the domain may not.</summary>
    public IForeignMemoryService? ForeignMemory { get; }

    /// <summary>Where drivers write their log lines.</summary>
    public Action<string> Log { get; }

    /// <summary>The absolute path of <paramref name="key"/>: itself when absolute, else under <see cref="Home"/>.</summary>
    public string PathOf(string key) => key.StartsWith('/') ? key : key.Length == 0 ? Home : $"{Home}/{key}";
}
