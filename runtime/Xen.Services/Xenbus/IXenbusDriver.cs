namespace Xen.Services.Xenbus;

/// <summary>
/// A frontend driver for one device type under <c>device/</c> (<c>vbd</c>, <c>vif</c>, ...). The probe drives the
/// xenbus states; the driver only sets up and tears down its rings.
/// </summary>
public interface IXenbusDriver
{
    /// <summary>The device type it drives: the directory under <c>device/</c>.</summary>
    string Type { get; }

    /// <summary>The driver's name in log lines (<c>xbf</c>, <c>xnf</c>); units are numbered from 0 per driver.</summary>
    string Name { get; }

    /// <summary>
    /// The backend is in <c>XenbusStateInitWait</c>: allocate and publish the rings (ring-ref, event-channel, ...)
    /// under <see cref="XenbusDevice.Path"/>. The probe then switches the frontend to <c>XenbusStateInitialised</c>
    /// (or, with <see cref="ConnectsOnSetUp"/>, to <c>XenbusStateConnected</c>).
    /// </summary>
    Task ConnectAsync(XenbusDevice device, CancellationToken cancellationToken);

    /// <summary>
    /// Whether the frontend goes straight to <c>XenbusStateConnected</c> once its rings are published, as netif's
    /// frontends do: Linux's xen-netback maps the rings when the frontend is Connected and ignores Initialised, so a
    /// vif left in Initialised waits for a backend that waits for it. False (the default) is blkif's order:
    /// Initialised, then Connected once the backend is.
    /// </summary>
    bool ConnectsOnSetUp => false;

    /// <summary>The device is going away (backend closing or the device removed): release what <see cref="ConnectAsync"/> took.</summary>
    Task DisconnectAsync(XenbusDevice device);
}
