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
        var vcpuInfos = VcpuInfoPages.Register(nexus.Hypercalls, nexus.SharedInfo);
        nexus.RetainedFrames += vcpuInfos.RetainedFrames; // Xen writes them from now on, attached or not
        var wanted = nexus.Options.EventChannelAbi;
        IEventChannelAbi? abi = null;
        if (wanted != EventChannelAbiKind.TwoLevel)
        {
            var fifo = FifoEventChannels.TryInitialise(nexus.Hypercalls, required: wanted == EventChannelAbiKind.Fifo);
            if (fifo is not null)
                nexus.RetainedFrames += fifo.RetainedFrames;
            abi = fifo;
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
