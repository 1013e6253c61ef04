namespace Xen.BackendDaemon;

/// <summary>One device directory the toolstack made for us: <c>&lt;home&gt;/backend/&lt;kind&gt;/&lt;domid&gt;/&lt;devid&gt;</c>.</summary>
/// <param name="Kind">The backend kind (<c>vbd</c>, <c>vif</c>).</param>
/// <param name="Path">The backend directory.</param>
/// <param name="FrontendDomain">The guest's domain id, from the path.</param>
/// <param name="DeviceId">The device id, from the path.</param>
internal sealed record BackendDevice(string Kind, string Path, ushort FrontendDomain, uint DeviceId);

/// <summary>Starts the backend of one kind for a device; the result stops it when disposed.</summary>
internal interface IBackendKind
{
    /// <summary>The kind served (<c>vbd</c>, <c>vif</c>): the directory under <c>backend/</c> that is watched.</summary>
    string Kind { get; }

    /// <summary>Serves <paramref name="device"/> until the result is disposed.</summary>
    Task<IAsyncDisposable> StartAsync(BackendDevice device);
}
