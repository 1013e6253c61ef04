using Xen.Nexus.Init;
using Xen.Nexus.Platform;

namespace Xen.Nexus.Unplug;

/// <summary>
/// The <see cref="NexusPhase.Unplug"/> step (OpenBSD's xen_unplug_emulated): when the platform device offers the
/// protocol, writes the product and build, and unless dom0 refused them, unplugs the emulated devices of the types
/// a driver is registered for, so a disk or NIC is never driven twice.
/// </summary>
public sealed class UnplugStep(IEnumerable<string> drivenTypes) : INexusInitStep
{
    /// <summary>The product number written (protocol version 1 and later).</summary>
    public ushort Product { get; init; }

    /// <summary>The build number written.</summary>
    public uint Build { get; init; }

    /// <summary>The bits written, after <see cref="Attach"/> (0 when nothing was unplugged).</summary>
    public ushort Unplugged { get; private set; }

    /// <inheritdoc/>
    public string Name => "unplug";

    /// <inheritdoc/>
    public void Attach(XenNexus nexus)
    {
        var hv = nexus.Hypervisor;
        var device = nexus.Options.DeviceName;
        var mask = drivenTypes.Aggregate((ushort)0, (bits, type) => (ushort)(bits | UnplugProtocol.BitsFor(type)));
        if (hv.In(UnplugProtocol.MagicPort, PortWidth.Word) != UnplugProtocol.Magic)
        {
            nexus.Log($"{device}: no emulated-device unplug");
            return;
        }
        if (hv.In(UnplugProtocol.VersionPort, PortWidth.Byte) != 0)
        {
            hv.Out(UnplugProtocol.VersionPort, Product, PortWidth.Word);
            hv.Out(UnplugProtocol.MagicPort, Build, PortWidth.Dword);
            if (hv.In(UnplugProtocol.MagicPort, PortWidth.Word) == UnplugProtocol.BlacklistedMagic)
            {
                nexus.Log($"{device}: unplug refused: product {Product} build {Build} blacklisted");
                return;
            }
        }
        if (mask == 0)
            return;
        hv.Out(UnplugProtocol.MagicPort, mask, PortWidth.Word);
        Unplugged = mask;
        var what = new List<string>();
        if ((mask & UnplugProtocol.AllIdeDisks) != 0) what.Add("IDE/SCSI disks");
        if ((mask & UnplugProtocol.NvmeDisks) != 0) what.Add("NVMe disks");
        if ((mask & UnplugProtocol.AllNics) != 0) what.Add("NICs");
        nexus.Log($"{device}: unplugged emulated {string.Join(", ", what)}");
    }

    /// <inheritdoc/>
    public void Detach(XenNexus nexus)
    {
        // Unplugged devices stay unplugged until the domain is reset.
    }
}
