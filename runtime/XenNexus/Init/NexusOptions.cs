using Xen.Nexus.Events;

namespace Xen.Nexus.Init;

/// <summary>How <see cref="XenNexus.Attach"/> initialises the guest.</summary>
public sealed class NexusOptions
{
    /// <summary>The device name in log lines.</summary>
    public string DeviceName { get; init; } = "xen0";

    /// <summary>The bus it attaches at, in the first log line.</summary>
    public string ParentName { get; init; } = "pvbus0";

    /// <summary>The interrupt vector Xen raises for event channels (<c>HVM_PARAM_CALLBACK_IRQ</c>, vector type).</summary>
    public byte CallbackVector { get; init; } = 0xF3;

    /// <summary>
    /// How often each vCPU's <c>evtchn_upcall_pending</c> is looked at when Xen offers no callback vector
    /// (<c>XENFEAT_hvm_callback_vector</c>); unused with one.
    /// </summary>
    public TimeSpan UpcallPollInterval { get; init; } = TimeSpan.FromMilliseconds(1);

    /// <summary>The event channel ABI.</summary>
    public EventChannelAbiKind EventChannelAbi { get; init; } = EventChannelAbiKind.Auto;

    /// <summary>Where log lines go (one per step, kernel-boot style); none by default.</summary>
    public Action<string>? Log { get; init; }

    /// <summary>
    /// The steps of the extension phases. <see cref="NexusPhase.Unmask"/> holds <see cref="UnmaskEventChannelsStep"/>
    /// unless replaced; the others are empty until XenStore, the probe and the rest are written.
    /// </summary>
    public Dictionary<NexusPhase, List<INexusInitStep>> Extensions { get; } = new()
    {
        [NexusPhase.Unmask] = [new UnmaskEventChannelsStep()],
    };

    /// <summary>Adds <paramref name="step"/> at the end of <paramref name="phase"/>.</summary>
    public NexusOptions Add(NexusPhase phase, INexusInitStep step)
    {
        if (!Extensions.TryGetValue(phase, out var steps))
            Extensions[phase] = steps = [];
        steps.Add(step);
        return this;
    }
}
