namespace Xen.Simulator.Dom0;

/// <summary>What a backend is started for: dom0's services, the frontend's domain, the device and both directories.</summary>
/// <param name="Services">dom0's services: its store, event channels, grant mapping and copying.</param>
/// <param name="FrontendDomain">The guest.</param>
/// <param name="Device">The device as the toolstack wrote it.</param>
/// <param name="Backend">The backend directory (<c>/local/domain/0/backend/vif/1/0</c>).</param>
/// <param name="Frontend">The frontend directory (<c>/local/domain/1/device/vif/0</c>).</param>
public sealed record DeviceBackendRequest(Xen.Services.XenDomainServices Services, uint FrontendDomain, DeviceSpec Device, string Backend, string Frontend);

/// <summary>Starts the backend of one device; disposing it stops serving (the device is removed or the guest destroyed).</summary>
public delegate Task<IAsyncDisposable> DeviceBackendFactory(DeviceBackendRequest request);
