namespace Xen.Services.Xenbus;

/// <summary>
/// A driver that reads what its backend publishes once it is <c>XenbusStateConnected</c> (blkfront_connect reads the
/// disk's size and features then). The probe calls it before switching the frontend to Connected; when it throws,
/// the device is detached instead, with the error in the log.
/// </summary>
public interface IXenbusConnectedDriver : IXenbusDriver
{
    /// <summary>The backend is Connected: read its connect-time keys and start the device.</summary>
    Task BackendConnectedAsync(XenbusDevice device, CancellationToken cancellationToken);
}
