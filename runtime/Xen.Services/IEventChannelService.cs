namespace Xen.Services;

/// <summary>This domain's event channels, as a driver sees them: bind, notify, close.</summary>
public interface IEventChannelService
{
    /// <summary><c>EVTCHNOP_alloc_unbound</c>: a new port that <paramref name="remoteDomain"/> may bind to.</summary>
    /// <returns>The local port, bound to <paramref name="handler"/> and unmasked.</returns>
    uint AllocUnbound(ushort remoteDomain, EventChannelNotified handler);

    /// <summary><c>EVTCHNOP_bind_interdomain</c>: connects to <paramref name="remotePort"/> of <paramref name="remoteDomain"/>.</summary>
    /// <returns>The local port, bound to <paramref name="handler"/> and unmasked.</returns>
    uint BindInterdomain(ushort remoteDomain, uint remotePort, EventChannelNotified handler);

    /// <summary><c>EVTCHNOP_send</c>: notifies the peer of <paramref name="port"/>.</summary>
    void Notify(uint port);

    /// <summary><c>EVTCHNOP_close</c>: closes <paramref name="port"/>; its handler does not run again.</summary>
    void Close(uint port);
}
