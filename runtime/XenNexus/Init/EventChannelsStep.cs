using Xen.Nexus.Events;

namespace Xen.Nexus.Init;

/// <summary>
/// Registers each vCPU's vcpu_info, chooses the event channel ABI (FIFO if asked for or offered, else 2-level),
/// masks every port and clears every pending bit. Without a callback vector it starts the upcall poll
/// (<see cref="NexusOptions.UpcallPollInterval"/>), so events are still delivered.
/// </summary>
public sealed unsafe class EventChannelsStep : INexusInitStep, IAbandonableStep
{
    /// <inheritdoc/>
    public string Name => "event channels";

    /// <inheritdoc/>
    public void Attach(XenNexus nexus)
    {
        // Xen writes vcpu_info pages and FIFO pages from registration on, attached or not: they are never freed.
        Action<int> retained = frames => nexus.RetainedFrames += frames;
        var vcpuInfos = VcpuInfoPages.Register(nexus.Hypercalls, nexus.SharedInfo, retained);
        var wanted = nexus.Options.EventChannelAbi;
        IEventChannelAbi? abi = null;
        if (wanted != EventChannelAbiKind.TwoLevel)
        {
            abi = FifoEventChannels.TryInitialise(nexus.Hypercalls, required: wanted == EventChannelAbiKind.Fifo, retained);
        }
        abi ??= new TwoLevelEventChannels(nexus.Hypercalls, nexus.SharedInfo, vcpuInfos);
        // The 2-level bitmaps live in shared info: masking all is needed in both ABIs, as ports move to FIFO masked.
        new TwoLevelEventChannels(nexus.Hypercalls, nexus.SharedInfo, vcpuInfos).MaskAll();
        abi.MaskAll();
        nexus.EventChannels = new EventChannels(nexus.Hypercalls, abi, vcpuInfos);
        if (nexus.CallbackVector is null)
        {
            var interval = nexus.Options.UpcallPollInterval;
            nexus.Poller = new UpcallPoller(nexus.EventChannels, nexus.Hypervisor.VcpuCount, interval, line => nexus.Log($"{nexus.Options.DeviceName}: {line}"));
            nexus.UpcallPollInterval = interval;
        }
        var where = vcpuInfos.Registered ? $"vcpu_info at gfn 0x{vcpuInfos.FirstGfn:x}" : "vcpu_info in shared info";
        nexus.Log($"{nexus.Options.DeviceName}: event channels: {(abi.Kind == EventChannelAbiKind.Fifo ? "FIFO" : "2-level")} ABI, {abi.MaxPorts} ports, {nexus.Hypervisor.VcpuCount} vCPU{(nexus.Hypervisor.VcpuCount == 1 ? "" : "s")}, {where}, all masked");
    }

    /// <inheritdoc/>
    public void Detach(XenNexus nexus)
    {
        StopPolling(nexus);
        nexus.EventChannels?.Dispose();
        nexus.EventChannels = null;
    }

    /// <inheritdoc/>
    public void Abandon(XenNexus nexus) => StopPolling(nexus);

    private static void StopPolling(XenNexus nexus)
    {
        nexus.Poller?.Dispose();
        nexus.Poller = null;
        nexus.UpcallPollInterval = null;
    }
}
