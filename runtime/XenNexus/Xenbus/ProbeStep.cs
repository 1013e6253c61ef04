using Xen.Nexus.Init;
using Xen.Nexus.Services;
using Xen.Nexus.Store;
using Xen.Services;
using Xen.Services.Xenbus;

namespace Xen.Nexus.Xenbus;

/// <summary>
/// The <see cref="NexusPhase.Probe"/> step: a <see cref="XenbusProbe"/> over the registered drivers probes
/// <c>device/</c> and keeps watching it.
/// </summary>
public sealed class ProbeStep(Func<NexusStore> store, IReadOnlyList<IXenbusDriver> drivers) : INexusInitStep
{
    /// <summary>The services the drivers were given, after <see cref="Attach"/>.</summary>
    public XenDomainServices? Services { get; private set; }

    /// <summary>The probe, after <see cref="Attach"/>.</summary>
    public XenbusProbe? Probe { get; private set; }

    /// <inheritdoc/>
    public string Name => "probe";

    /// <inheritdoc/>
    public void Attach(XenNexus nexus)
    {
        var services = NexusServices.Create(nexus, store());
        var probe = new XenbusProbe(services, drivers, nexus.Options.DeviceName, nexus.Log);
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            probe.StartAsync(timeout.Token).GetAwaiter().GetResult();
        }
        catch
        {
            probe.DisposeAsync().AsTask().Wait(TimeSpan.FromSeconds(5));
            throw;
        }
        Services = services;
        Probe = probe;
    }

    /// <inheritdoc/>
    public void Detach(XenNexus nexus)
    {
        if (Probe is { } probe)
        {
            probe.DetachAllAsync().Wait(TimeSpan.FromSeconds(5));
            probe.DisposeAsync().AsTask().Wait(TimeSpan.FromSeconds(5));
        }
        (Services?.ForeignMemory as IDisposable)?.Dispose();
        Services = null;
        Probe = null;
    }
}
