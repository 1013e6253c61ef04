using Xen.Nexus.Control;
using Xen.Nexus.Init;
using Xen.Nexus.Unplug;
using Xen.Nexus.Xenbus;
using Xen.Services.Xenbus;

namespace Xen.Nexus.Store;

/// <summary>
/// The extension phases built on XenStore, plugged into a <see cref="NexusOptions"/>: XenStore on the ring, the
/// probe of <c>device/</c> with the given drivers, unplugging the emulated devices of their types, the
/// <c>control/shutdown</c> watch and the <c>control/feature-*</c> keys. After <see cref="XenNexus.Attach"/> the
/// pieces are reached through this object.
/// </summary>
public sealed class XenbusPhases
{
    private XenbusPhases(IReadOnlyList<IXenbusDriver> drivers)
    {
        XenStore = new XenStoreStep();
        Probe = new ProbeStep(StoreOrThrow, drivers);
        Unplug = new UnplugStep(drivers.Select(d => d.Type));
        Control = new ControlWatchStep(StoreOrThrow) { BeforeShutdown = () => Probe.Probe?.DetachAllAsync() ?? Task.CompletedTask };
        FeatureKeys = new FeatureKeysStep(StoreOrThrow);
    }

    /// <summary>The XenStore step.</summary>
    public XenStoreStep XenStore { get; }

    /// <summary>The probe step.</summary>
    public ProbeStep Probe { get; }

    /// <summary>The unplug step.</summary>
    public UnplugStep Unplug { get; }

    /// <summary>The control/shutdown watch.</summary>
    public ControlWatchStep Control { get; }

    /// <summary>The feature keys step.</summary>
    public FeatureKeysStep FeatureKeys { get; }

    /// <summary>The store connection, once attached.</summary>
    public NexusStore? Store => XenStore.Store;

    /// <summary>The pvbus key/value interface over the store, once attached.</summary>
    public Pvbus.Pvbus? Pvbus => Store is { } store ? new Pvbus.Pvbus(store) : null;

    /// <summary>Adds every phase's step to <paramref name="options"/> and returns them.</summary>
    public static XenbusPhases AddTo(NexusOptions options, IEnumerable<IXenbusDriver>? drivers = null)
    {
        var phases = new XenbusPhases(drivers?.ToArray() ?? []);
        options.Add(NexusPhase.XenStore, phases.XenStore)
            .Add(NexusPhase.Probe, phases.Probe)
            .Add(NexusPhase.Unplug, phases.Unplug)
            .Add(NexusPhase.ControlWatch, phases.Control)
            .Add(NexusPhase.FeatureKeys, phases.FeatureKeys);
        return phases;
    }

    private NexusStore StoreOrThrow() => XenStore.Store ?? throw new InvalidOperationException("the xenstore step has not attached");
}
