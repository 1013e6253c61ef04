namespace Xen.Simulator;

/// <summary>What the simulated Xen reports and offers; the defaults are those of Xen 4.17 with libxl's domain defaults.</summary>
public sealed class SimulatedXenOptions
{
    /// <summary>Major version (XENVER_version bits 31..16, CPUID 0x40000001 EAX).</summary>
    public int Major { get; init; } = 4;

    /// <summary>Minor version (bits 15..0).</summary>
    public int Minor { get; init; } = 17;

    /// <summary>XENVER_extraversion (at most XEN_EXTRAVERSION_LEN - 1 bytes).</summary>
    public string ExtraVersion { get; init; } = ".5";

    /// <summary>XENVER_capabilities: what Xen 4.17 on x86_64 with HVM support (and no 32-bit PV) reports.</summary>
    public string Capabilities { get; init; } = "xen-3.0-x86_64 hvm-3.0-x86_32 hvm-3.0-x86_32p hvm-3.0-x86_64 ";

    /// <summary>XENVER_changeset (at most XEN_CHANGESET_INFO_LEN - 1 bytes).</summary>
    public string Changeset { get; init; } = "unavailable";

    /// <summary>XENVER_commandline, which only a privileged domain may read.</summary>
    public string CommandLine { get; init; } = "";

    /// <summary>Whether EVTCHNOP_init_control is offered (FIFO event channels); if not, it fails with -ENOSYS.</summary>
    public bool OfferFifoEventChannels { get; set; } = true;

    /// <summary>dom0's memory, in frames.</summary>
    public ulong Dom0MemoryFrames { get; init; } = 1024;

    /// <summary>dom0's vCPUs.</summary>
    public int Dom0Vcpus { get; init; } = 1;
}
