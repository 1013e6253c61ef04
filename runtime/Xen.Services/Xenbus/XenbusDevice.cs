using System.Globalization;
using Xen.Abi.Io;
using Xen.XenStore.Client;
using Xen.XenStore.Protocol;

namespace Xen.Services.Xenbus;

/// <summary>One device found under <c>device/&lt;type&gt;/&lt;id&gt;</c>: its frontend path, its backend and the states of both ends.</summary>
public sealed class XenbusDevice
{
    internal XenbusDevice(XenDomainServices services, string type, string id, string path, string backend, uint backendId)
    {
        Services = services;
        Type = type;
        Id = id;
        Path = path;
        Backend = backend;
        BackendId = backendId;
    }

    /// <summary>The domain's services, for the driver: store, event channels, grants.</summary>
    public XenDomainServices Services { get; }

    /// <summary>The absolute frontend directory (<c>/local/domain/N/device/vbd/768</c>).</summary>
    public string FullPath => Services.PathOf(Path);

    /// <summary>The device type (<c>vbd</c>, <c>vif</c>).</summary>
    public string Type { get; }

    /// <summary>The device id under its type (<c>768</c>, <c>0</c>).</summary>
    public string Id { get; }

    /// <summary>The frontend directory, relative to the domain's home (<c>device/vbd/768</c>).</summary>
    public string Path { get; }

    /// <summary>The backend directory the frontend's <c>backend</c> key names.</summary>
    public string Backend { get; }

    /// <summary>The backend's domain (<c>backend-id</c>).</summary>
    public uint BackendId { get; }

    /// <summary>The driver unit's name (<c>xbf0</c>), or null when no driver took the device.</summary>
    public string? UnitName { get; internal set; }

    /// <summary>The driver, or null when the type is not configured.</summary>
    public IXenbusDriver? Driver { get; internal set; }

    /// <summary>Our end's state as last written.</summary>
    public XenbusState State { get; internal set; }

    /// <summary>The backend's state as last read.</summary>
    public XenbusState BackendState { get; internal set; }

    /// <summary>Whether the device reached <c>XenbusStateConnected</c> and has not been detached since.</summary>
    public bool IsConnected => State == XenbusState.XenbusStateConnected;

    /// <summary>
    /// Where this device's errors go for the toolstack: <c>error/&lt;Path&gt;/error</c> under the domain's home, as
    /// Linux's and FreeBSD's xenbus_dev_error write it (the toolstack makes <c>~/error</c> writable for the guest).
    /// </summary>
    public string ErrorPath => Services.PathOf($"error/{Path}/error");

    /// <summary>
    /// Writes <c>"&lt;errno&gt; &lt;message&gt;"</c> to <see cref="ErrorPath"/> (Xen's errno numbers are the ones Linux
    /// guests write); false (and nothing thrown) when the store
    /// refuses or is gone, since reporting an error must not become one.
    /// </summary>
    public async Task<bool> TryReportErrorAsync(Xen.Abi.XenErrno errno, string message)
    {
        try
        {
            await Services.Store.WriteAsync(ErrorPath, $"{((int)errno).ToString(CultureInfo.InvariantCulture)} {message}").ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is XsErrorException or XsConnectionException or ObjectDisposedException)
        {
            return false;
        }
    }

    internal XsWatchSubscription? BackendWatch { get; set; }
}
