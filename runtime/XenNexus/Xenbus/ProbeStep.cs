using Xen.Nexus.Init;
using Xen.Nexus.Store;

namespace Xen.Nexus.Xenbus;

/// <summary>
/// The <see cref="NexusPhase.Probe"/> step: a <see cref="XenbusProbe"/> over the registered drivers probes
/// <c>device/</c> and keeps watching it.
/// </summary>
public sealed class ProbeStep(Func<NexusStore> store, IReadOnlyList<IXenbusDriver> drivers) : INexusInitStep
{
    /// <summary>The probe, after <see cref="Attach"/>.</summary>
    public XenbusProbe? Probe { get; private set; }

    /// <inheritdoc/>
    public string Name => "probe";

    /// <inheritdoc/>
    public void Attach(XenNexus nexus)
    {
        var probe = new XenbusProbe(store(), drivers, nexus.Options.DeviceName, nexus.Log);
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
        Probe = null;
    }
}
