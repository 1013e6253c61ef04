using Xen.Services.Xenbus;

namespace Xen.Drivers.Xnf;

/// <summary>
/// The <c>vif</c> driver for the xenbus probe (OpenBSD's xnf(4), Linux's xen-netfront): each device becomes an
/// <see cref="XnfInterface"/> when its backend is ready, announced by <see cref="InterfaceUp"/>.
/// </summary>
public sealed class XnfDriver(XnfOptions? options = null, string parent = "xen0") : IXenbusDriver
{
    private readonly XnfOptions options = options ?? new XnfOptions();
    private readonly Dictionary<string, XnfInterface> interfaces = new(StringComparer.Ordinal);

    /// <inheritdoc/>
    public string Type => "vif";

    /// <inheritdoc/>
    public string Name => "xnf";

    /// <summary>True: netif's frontend is Connected once its rings are published (Linux's xen-netback waits for that).</summary>
    public bool ConnectsOnSetUp => true;

    /// <summary>Raised when a unit's rings are published (traffic may start: the backend takes what is queued once it connects).</summary>
    public event Action<XnfInterface>? InterfaceUp;

    /// <summary>Raised when a unit goes away, before its rings are released.</summary>
    public event Action<XnfInterface>? InterfaceDown;

    /// <summary>The units now up.</summary>
    public IReadOnlyList<XnfInterface> Interfaces
    {
        get { lock (interfaces) return interfaces.Values.ToArray(); }
    }

    /// <inheritdoc/>
    public async Task ConnectAsync(XenbusDevice device, CancellationToken cancellationToken)
    {
        // A failure here is fatal to the device: the probe logs it, writes the error node and closes the device.
        var unit = await XnfInterface.ConnectAsync(device, options, cancellationToken).ConfigureAwait(false);
        lock (interfaces) interfaces[device.Path] = unit;
        device.Services.Log($"{unit.Name} at {parent}: address {unit.Mac}, mtu {unit.Mtu}, {unit.QueueCount} queue{(unit.QueueCount == 1 ? "" : "s")}"
            + $"{(unit.SplitEventChannels ? ", split event channels" : "")}, offloads {unit.Accepts}");
        InterfaceUp?.Invoke(unit);
    }

    /// <inheritdoc/>
    public Task DisconnectAsync(XenbusDevice device)
    {
        XnfInterface? unit;
        lock (interfaces) interfaces.Remove(device.Path, out unit);
        if (unit is not null)
        {
            InterfaceDown?.Invoke(unit);
            unit.Dispose();
        }
        return Task.CompletedTask;
    }
}
