using Xen.Services;

namespace Xen.Simulator.Dom0;

/// <summary>
/// Starts the backend of a device the toolstack just added (the hotplug scripts' and the backend driver's part);
/// what it returns is disposed when the device is removed or its domain destroyed.
/// </summary>
/// <param name="services">dom0's services: its store, event channels, grant mapping and copying.</param>
/// <param name="domid">The frontend's domain.</param>
/// <param name="device">The device as the toolstack wrote it.</param>
/// <param name="backendPath">The backend directory.</param>
public delegate Task<IAsyncDisposable> DeviceBackendStarter(XenDomainServices services, uint domid, DeviceSpec device, string backendPath);
