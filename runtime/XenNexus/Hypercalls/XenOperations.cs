using Xen.Abi;

namespace Xen.Nexus.Hypercalls;

/// <summary>The hypercall sub-operations the nexus makes: numbers from Xen.Abi, names as Xen spells them.</summary>
public static class XenOperations
{
    private const uint EventChannelOp = XenH._HypervisorEventChannelOp;
    private const uint MemoryOp = XenH._HypervisorMemoryOp;
    private const uint GrantTableOp = XenH._HypervisorGrantTableOp;

#pragma warning disable CS1591 // each field is the Xen operation its name spells
    public static readonly XenOperation XenverVersion = new(XenH._HypervisorXenVersion, XenVersionH.XenverVersion, "XENVER_version");
    public static readonly XenOperation XenverGetFeatures = new(XenH._HypervisorXenVersion, XenVersionH.XenverGetFeatures, "XENVER_get_features");

    public static readonly XenOperation XenmemAddToPhysmap = new(MemoryOp, MemoryH.XenmemAddToPhysmap, "XENMEM_add_to_physmap");
    public static readonly XenOperation XenmemRemoveFromPhysmap = new(MemoryOp, MemoryH.XenmemRemoveFromPhysmap, "XENMEM_remove_from_physmap");

    public static readonly XenOperation HvmopSetParam = new(XenH._HypervisorHvmOp, HvmOpH.HvmopSetParam, "HVMOP_set_param");
    public static readonly XenOperation HvmopGetParam = new(XenH._HypervisorHvmOp, HvmOpH.HvmopGetParam, "HVMOP_get_param");

    public static readonly XenOperation VcpuopRegisterVcpuInfo = new(XenH._HypervisorVcpuOp, Vcpu.VcpuopRegisterVcpuInfo, "VCPUOP_register_vcpu_info", HypercallForm.CommandVcpuArgument);

    public static readonly XenOperation EvtchnopBindInterdomain = new(EventChannelOp, EventChannel.EvtchnopBindInterdomain, "EVTCHNOP_bind_interdomain");
    public static readonly XenOperation EvtchnopBindVirq = new(EventChannelOp, EventChannel.EvtchnopBindVirq, "EVTCHNOP_bind_virq");
    public static readonly XenOperation EvtchnopClose = new(EventChannelOp, EventChannel.EvtchnopClose, "EVTCHNOP_close");
    public static readonly XenOperation EvtchnopSend = new(EventChannelOp, EventChannel.EvtchnopSend, "EVTCHNOP_send");
    public static readonly XenOperation EvtchnopStatus = new(EventChannelOp, EventChannel.EvtchnopStatus, "EVTCHNOP_status");
    public static readonly XenOperation EvtchnopAllocUnbound = new(EventChannelOp, EventChannel.EvtchnopAllocUnbound, "EVTCHNOP_alloc_unbound");
    public static readonly XenOperation EvtchnopBindIpi = new(EventChannelOp, EventChannel.EvtchnopBindIpi, "EVTCHNOP_bind_ipi");
    public static readonly XenOperation EvtchnopBindVcpu = new(EventChannelOp, EventChannel.EvtchnopBindVcpu, "EVTCHNOP_bind_vcpu");
    public static readonly XenOperation EvtchnopUnmask = new(EventChannelOp, EventChannel.EvtchnopUnmask, "EVTCHNOP_unmask");
    public static readonly XenOperation EvtchnopInitControl = new(EventChannelOp, EventChannel.EvtchnopInitControl, "EVTCHNOP_init_control");
    public static readonly XenOperation EvtchnopExpandArray = new(EventChannelOp, EventChannel.EvtchnopExpandArray, "EVTCHNOP_expand_array");
    public static readonly XenOperation EvtchnopSetPriority = new(EventChannelOp, EventChannel.EvtchnopSetPriority, "EVTCHNOP_set_priority");

    public static readonly XenOperation GnttabopMapGrantRef = new(GrantTableOp, GrantTableH.GnttabopMapGrantRef, "GNTTABOP_map_grant_ref", HypercallForm.CommandArgumentCount);
    public static readonly XenOperation GnttabopUnmapGrantRef = new(GrantTableOp, GrantTableH.GnttabopUnmapGrantRef, "GNTTABOP_unmap_grant_ref", HypercallForm.CommandArgumentCount);
    public static readonly XenOperation GnttabopCopy = new(GrantTableOp, GrantTableH.GnttabopCopy, "GNTTABOP_copy", HypercallForm.CommandArgumentCount);
    public static readonly XenOperation GnttabopQuerySize = new(GrantTableOp, GrantTableH.GnttabopQuerySize, "GNTTABOP_query_size", HypercallForm.CommandArgumentCount);
#pragma warning restore CS1591
}
