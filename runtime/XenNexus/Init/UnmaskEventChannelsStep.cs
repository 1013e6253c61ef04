namespace Xen.Nexus.Init;

/// <summary>The default <see cref="NexusPhase.Unmask"/> step: unmasks the ports bound so far (OpenBSD's xen_intr_enable).</summary>
public sealed class UnmaskEventChannelsStep : INexusInitStep
{
    /// <inheritdoc/>
    public string Name => "unmask";

    /// <inheritdoc/>
    public void Attach(XenNexus nexus)
    {
        var events = nexus.EventChannels ?? throw new InvalidOperationException("unmask before the event channels step");
        events.Enable();
        nexus.Log($"{nexus.Options.DeviceName}: event channels unmasked");
    }

    /// <inheritdoc/>
    public void Detach(XenNexus nexus)
    {
    }
}
