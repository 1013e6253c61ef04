namespace Xen.Kernel.Nexus;

/// <summary>
/// The hypercall numbers, sub-operations and values the kernel uses (xen.h, version.h, sched.h). Written twice:
/// Xen.Abi has each (XenH, XenVersionH, Sched), but it is built on the BCL; Xen.Kernel.Tests holds them equal.
/// </summary>
public static class XenNumbers
{
    /// <summary>__HYPERVISOR_xen_version</summary>
    public const uint HypervisorXenVersion = 17;

    /// <summary>__HYPERVISOR_sched_op</summary>
    public const uint HypervisorSchedOp = 29;

    /// <summary>XENVER_version</summary>
    public const uint XenverVersion = 0;

    /// <summary>XENVER_get_features</summary>
    public const uint XenverGetFeatures = 6;

    /// <summary>SCHEDOP_shutdown</summary>
    public const uint SchedopShutdown = 2;

    /// <summary>SHUTDOWN_poweroff</summary>
    public const uint ShutdownPoweroff = 0;
}
