using Xen.Nexus.Events;

namespace Xen.Nexus.Init;

/// <summary>
/// Registers each vCPU's vcpu_info, chooses the event channel ABI (FIFO if asked for or offered, else 2-level),
/// masks every port and clears every pending bit.
/// </summary>
public sealed unsafe class EventChannelsStep : INexusInitStep
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
        var where = vcpuInfos.Registered ? $"vcpu_info at gfn 0x{vcpuInfos.FirstGfn:x}" : "vcpu_info in shared info";
        nexus.Log($"{nexus.Options.DeviceName}: event channels: {(abi.Kind == EventChannelAbiKind.Fifo ? "FIFO" : "2-level")} ABI, {abi.MaxPorts} ports, {nexus.Hypervisor.VcpuCount} vCPU{(nexus.Hypervisor.VcpuCount == 1 ? "" : "s")}, {where}, all masked");
    }

    /// <inheritdoc/>
    public void Detach(XenNexus nexus)
    {
        nexus.EventChannels?.Dispose();
        nexus.EventChannels = null;
    }
}
