using Xen.Drivers.Netback;

namespace Xen.Simulator.Dom0;

/// <summary>
/// dom0's network backends: every <c>vif</c> the toolstack adds is served by a <see cref="NetbackDevice"/> on dom0's
/// services (its event channels and grant copies), with <see cref="Options"/> as they are when the device is added.
/// </summary>
public sealed class NetworkBackends
{
    private readonly SimulatedDom0 dom0;
    private readonly List<NetbackDevice> devices = new();

    private readonly Xen.Services.XenDomainServices services;

    internal NetworkBackends(SimulatedDom0 dom0)
    {
        this.dom0 = dom0;
        var s = dom0.Services;
        services = new Xen.Services.XenDomainServices(s.DomainId, s.Store, s.EventChannels, s.Grants, s.ForeignMemory, dom0.Log);
    }

    /// <summary>What the next backends offer, and whether they lie.</summary>
    public NetbackOptions Options { get; set; } = new();

    /// <summary>Raised for each backend before it offers its features, so a bridge can follow its vif.</summary>
    public event Action<NetbackDevice>? Started;

    /// <summary>The backends serving now.</summary>
    public IReadOnlyList<NetbackDevice> Devices
    {
        get { lock (devices) return devices.ToArray(); }
    }

    internal async Task<IAsyncDisposable> StartAsync(DeviceBackendRequest request)
    {
        var device = await NetbackDevice.StartAsync(services, request.Backend, request.Frontend, checked((ushort)request.FrontendDomain),
            request.Device.DeviceId, Options, d => Started?.Invoke(d)).ConfigureAwait(false);
        lock (devices) devices.Add(device);
        return new Serving(this, device);
    }

    /// <summary>Stops every backend (their workers read guest pages that must not go away under them).</summary>
    internal void StopAll()
    {
        foreach (var device in Devices)
        {
            lock (devices) devices.Remove(device);
            try { device.DisposeAsync().AsTask().Wait(TimeSpan.FromSeconds(5)); }
            catch (AggregateException) { }
        }
    }

    private sealed class Serving(NetworkBackends owner, NetbackDevice device) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            lock (owner.devices) owner.devices.Remove(device);
            await device.DisposeAsync().ConfigureAwait(false);
        }
    }
}
