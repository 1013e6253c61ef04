namespace Xen.Simulator;

/// <summary>A domain's build-time limits, as the toolstack (libxl) passes them to XEN_DOMCTL_createdomain.</summary>
public sealed class DomainConfiguration
{
    /// <summary>How many vCPUs (numbered from 0).</summary>
    public int Vcpus { get; init; } = 1;

    /// <summary>Maximum (and here, populated) memory in 4 KiB frames.</summary>
    public ulong MemoryFrames { get; init; } = 1024;

    /// <summary>The grant table's maximum frames (libxl and Xen's default: 64).</summary>
    public uint MaxGrantFrames { get; init; } = 64;

    /// <summary>The highest event channel port (libxl's default event_channels is 1023).</summary>
    public uint MaxEventChannelPort { get; init; } = 1023;
}
