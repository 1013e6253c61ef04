using Xen.Nexus.Init;
using Xen.Nexus.Store;
using Xen.Services;

namespace Xen.Nexus.Services;

/// <summary>The <see cref="XenDomainServices"/> of a guest the nexus attached: its store, event channels and grants.</summary>
public static class NexusServices
{
    /// <summary>Builds the services of <paramref name="nexus"/> on its XenStore connection <paramref name="store"/>.</summary>
    /// <exception cref="InvalidOperationException">The event channel or grant table step has not attached.</exception>
    public static XenDomainServices Create(XenNexus nexus, NexusStore store)
        => Create(nexus, checked((ushort)store.DomainId), store.Client);

    /// <summary>
    /// Builds the services of <paramref name="nexus"/> as domain <paramref name="domainId"/> with
    /// <paramref name="store"/> as its XenStore connection (dom0's, which is not on a ring).
    /// </summary>
    /// <exception cref="InvalidOperationException">The event channel or grant table step has not attached.</exception>
    public static XenDomainServices Create(XenNexus nexus, ushort domainId, Xen.XenStore.Client.XenStoreClient store)
    {
        var events = nexus.EventChannels ?? throw new InvalidOperationException("services before the event channels step");
        var grants = nexus.GrantTable ?? throw new InvalidOperationException("services before the grant table step");
        var memory = nexus.Hypervisor.Memory;
        var foreign = nexus.GrantMapper is { } mapper ? new NexusForeignMemoryService(mapper, memory) : null;
        return new XenDomainServices(domainId, store, new NexusEventChannelService(events),
            new NexusGrantService(grants, memory), foreign, nexus.Log);
    }
}
