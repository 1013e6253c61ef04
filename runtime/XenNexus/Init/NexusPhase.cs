namespace Xen.Nexus.Init;

/// <summary>
/// The places after the core steps where other components plug their steps, in the order they run (OpenBSD's
/// xen_attach, then its deferred attach). The core steps (detect, hypercall page, features, shared info, callback
/// vector, event channels, grant table) always run first.
/// </summary>
public enum NexusPhase
{
    /// <summary>XenStore on the ring page and port of <c>HVM_PARAM_STORE_PFN</c>/<c>HVM_PARAM_STORE_EVTCHN</c>.</summary>
    XenStore,

    /// <summary>Probing <c>device/</c> for paravirtualised devices.</summary>
    Probe,

    /// <summary>Unplugging the emulated disks and NICs (the unplug I/O ports).</summary>
    Unplug,

    /// <summary>Unmasking the bound event channels; by default <see cref="UnmaskEventChannelsStep"/>.</summary>
    Unmask,

    /// <summary>The <c>control/shutdown</c> watch.</summary>
    ControlWatch,

    /// <summary>Publishing <c>control/feature-*</c> keys.</summary>
    FeatureKeys,
}
