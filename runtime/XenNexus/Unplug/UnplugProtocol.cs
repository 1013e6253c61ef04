namespace Xen.Nexus.Unplug;

/// <summary>
/// The emulated-device unplug protocol of docs/misc/hvm-emulated-unplug.pandoc (QEMU's Xen platform device): no
/// public header defines these numbers, so they are stated here, once.
/// </summary>
public static class UnplugProtocol
{
    /// <summary>Read 16 bits: the magic; write 32 bits: the build number; write 16 bits: the unplug mask.</summary>
    public const ushort MagicPort = 0x10;

    /// <summary>Read 8 bits: the protocol version; write 16 bits: the product number.</summary>
    public const ushort VersionPort = 0x12;

    /// <summary>The magic when unplug is offered.</summary>
    public const ushort Magic = 0x49d2;

    /// <summary>The magic after dom0 refused the product and build written (the PV drivers must not load).</summary>
    public const ushort BlacklistedMagic = 0xd249;

    /// <summary>Bit 0: every emulated IDE and SCSI disk (not CD drives).</summary>
    public const ushort AllIdeDisks = 1 << 0;

    /// <summary>Bit 1: every emulated NIC.</summary>
    public const ushort AllNics = 1 << 1;

    /// <summary>Bit 2: every IDE disk but the primary master.</summary>
    public const ushort AuxIdeDisks = 1 << 2;

    /// <summary>Bit 3: every emulated NVMe disk.</summary>
    public const ushort NvmeDisks = 1 << 3;

    /// <summary>The unplug bits for a xenbus device type the guest drives (<c>vbd</c> disks, <c>vif</c> NICs), 0 for others.</summary>
    public static ushort BitsFor(string type) => type switch
    {
        "vbd" => AllIdeDisks | NvmeDisks,
        "vif" => AllNics,
        _ => 0,
    };
}
