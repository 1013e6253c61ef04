namespace Xen.Simulator.Devices;

/// <summary>
/// The numbers of Xen's emulated-device unplug protocol (docs/misc/hvm-emulated-unplug.pandoc; no public header
/// defines them): the magic and protocol version read from the platform device's fixed I/O ports, and the unplug bits.
/// </summary>
public static class UnplugProtocol
{
    /// <summary>Read 16 bits: the magic; write 32 bits: the build number; write 16 bits: the unplug mask.</summary>
    public const ushort MagicPort = 0x10;

    /// <summary>Read 8 bits: the protocol version; write 16 bits: the product number; write 8 bits: a log byte.</summary>
    public const ushort VersionPort = 0x12;

    /// <summary>The magic when unplug is available.</summary>
    public const ushort Magic = 0x49d2;

    /// <summary>The magic after the product and build were blacklisted (the drivers must not load).</summary>
    public const ushort BlacklistedMagic = 0xd249;

    /// <summary>Unplug bit 0: all emulated IDE and SCSI disks (not CD drives).</summary>
    public const ushort AllIdeDisks = 1 << 0;

    /// <summary>Unplug bit 1: all emulated NICs.</summary>
    public const ushort AllNics = 1 << 1;

    /// <summary>Unplug bit 2: all IDE disks but the primary master.</summary>
    public const ushort AuxIdeDisks = 1 << 2;

    /// <summary>Unplug bit 3: all emulated NVMe disks.</summary>
    public const ushort NvmeDisks = 1 << 3;
}
