namespace Xen.Kernel.Nexus;

/// <summary>
/// The hypercall numbers, sub-operations and values the kernel uses (xen.h, version.h, sched.h, memory.h,
/// hvm_op.h, params.h, event_channel.h, grant_table.h, features.h). Written twice: Xen.Abi has each, but it is built
/// on the BCL; Xen.Kernel.Tests holds them equal.
/// </summary>
public static class XenNumbers
{
    /// <summary>__HYPERVISOR_memory_op</summary>
    public const uint HypervisorMemoryOp = 12;

    /// <summary>__HYPERVISOR_xen_version</summary>
    public const uint HypervisorXenVersion = 17;

    /// <summary>__HYPERVISOR_grant_table_op</summary>
    public const uint HypervisorGrantTableOp = 20;

    /// <summary>__HYPERVISOR_vcpu_op</summary>
    public const uint HypervisorVcpuOp = 24;

    /// <summary>__HYPERVISOR_sched_op</summary>
    public const uint HypervisorSchedOp = 29;

    /// <summary>__HYPERVISOR_event_channel_op</summary>
    public const uint HypervisorEventChannelOp = 32;

    /// <summary>__HYPERVISOR_hvm_op</summary>
    public const uint HypervisorHvmOp = 34;

    /// <summary>DOMID_SELF</summary>
    public const uint DomidSelf = 0x7ff0;

    /// <summary>XENVER_version</summary>
    public const uint XenverVersion = 0;

    /// <summary>XENVER_get_features</summary>
    public const uint XenverGetFeatures = 6;

    /// <summary>XENFEAT_hvm_callback_vector</summary>
    public const uint XenfeatHvmCallbackVector = 8;

    /// <summary>SCHEDOP_shutdown</summary>
    public const uint SchedopShutdown = 2;

    /// <summary>SCHEDOP_poll</summary>
    public const uint SchedopPoll = 3;

    /// <summary>SHUTDOWN_poweroff</summary>
    public const uint ShutdownPoweroff = 0;

    /// <summary>VCPUOP_register_vcpu_info</summary>
    public const uint VcpuopRegisterVcpuInfo = 10;

    /// <summary>XENMEM_add_to_physmap</summary>
    public const uint XenmemAddToPhysmap = 7;

    /// <summary>XENMAPSPACE_shared_info</summary>
    public const uint XenmapspaceSharedInfo = 0;

    /// <summary>XENMAPSPACE_grant_table</summary>
    public const uint XenmapspaceGrantTable = 1;

    /// <summary>HVMOP_set_param</summary>
    public const uint HvmopSetParam = 0;

    /// <summary>HVMOP_get_param</summary>
    public const uint HvmopGetParam = 1;

    /// <summary>HVM_PARAM_CALLBACK_IRQ</summary>
    public const uint HvmParamCallbackIrq = 0;

    /// <summary>HVM_PARAM_STORE_PFN</summary>
    public const uint HvmParamStorePfn = 1;

    /// <summary>HVM_PARAM_STORE_EVTCHN</summary>
    public const uint HvmParamStoreEvtchn = 2;

    /// <summary>HVM_PARAM_CONSOLE_PFN</summary>
    public const uint HvmParamConsolePfn = 17;

    /// <summary>HVM_PARAM_CONSOLE_EVTCHN</summary>
    public const uint HvmParamConsoleEvtchn = 18;

    /// <summary>HVM_PARAM_CALLBACK_TYPE_VECTOR</summary>
    public const uint HvmParamCallbackTypeVector = 2;

    /// <summary>Where HVM_PARAM_CALLBACK_IRQ_TYPE_MASK starts: the callback type is the value's top byte.</summary>
    public const uint HvmParamCallbackIrqTypeShift = 56;

    /// <summary>EVTCHNOP_send</summary>
    public const uint EvtchnopSend = 4;

    /// <summary>EVTCHNOP_unmask</summary>
    public const uint EvtchnopUnmask = 9;

    /// <summary>GNTTABOP_query_size</summary>
    public const uint GnttabopQuerySize = 6;

    /// <summary>GNTTAB_NR_RESERVED_ENTRIES: the references the toolstack keeps (console, store).</summary>
    public const uint GnttabNrReservedEntries = 8;

    /// <summary>GNTST_okay</summary>
    public const uint GntstOkay = 0;
}
