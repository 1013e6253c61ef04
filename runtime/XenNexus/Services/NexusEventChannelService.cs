using Xen.Nexus.Events;
using Xen.Services;

namespace Xen.Nexus.Services;

/// <summary>Drivers' event channels on the nexus's <see cref="EventChannels"/>.</summary>
public sealed class NexusEventChannelService(EventChannels events) : IEventChannelService
{
    /// <inheritdoc/>
    public uint AllocUnbound(ushort remoteDomain, EventChannelNotified handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return events.AllocUnbound(remoteDomain, (port, _) => handler(port));
    }

    /// <inheritdoc/>
    public uint BindInterdomain(ushort remoteDomain, uint remotePort, EventChannelNotified handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return events.BindInterdomain(remoteDomain, remotePort, (port, _) => handler(port));
    }

    /// <inheritdoc/>
    public void Notify(uint port) => events.Send(port);

    /// <inheritdoc/>
    public void Close(uint port) => events.Close(port);
}
