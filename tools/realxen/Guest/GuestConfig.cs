using System.Text;

namespace XenGen.RealXen.Guest;

/// <summary>What a throwaway guest is made of.</summary>
/// <param name="Name">The domain's name.</param>
/// <param name="Type">pv or pvh.</param>
/// <param name="MemoryMiB">The guest's memory.</param>
/// <param name="Kernel">The guest's kernel image.</param>
/// <param name="Ramdisk">The guest's initramfs.</param>
/// <param name="Disks">Its disks, xvda first.</param>
/// <param name="Nic">Whether it has a vif on xenbr0.</param>
/// <param name="VbdScript">The hotplug script for kernel-blkback disks (Scripts/vbd-hotplug.sh, written out).</param>
/// <param name="VifScript">The hotplug script for the vif (Scripts/vif-hotplug.sh, written out).</param>
/// <param name="KernelArgs">Words appended to the guest kernel's command line (xl's <c>extra</c>).</param>
internal sealed record GuestSpec(string Name, string Type, int MemoryMiB, string Kernel, string Ramdisk, IReadOnlyList<DiskSpec> Disks, bool Nic, string VbdScript, string VifScript, IReadOnlyList<string>? KernelArgs = null)
{
    /// <summary>The guest's device name of disk <paramref name="index"/>: xvda, xvdb, ...</summary>
    public static string DiskDevice(int index) => "xvd" + (char)('a' + index);

    /// <summary>The guest as an xl domain configuration file (xl.cfg(5)).</summary>
    public string XlConfig()
    {
        var text = new StringBuilder();
        text.Append($"name = \"{Name}\"\n");
        text.Append($"type = \"{Type}\"\n");
        text.Append($"kernel = \"{Kernel}\"\n");
        text.Append($"ramdisk = \"{Ramdisk}\"\n");
        // Debian's kernel as a PVH guest was seen to run its command here only with Xen's early console on.
        string[] early = Type == "pvh" ? ["earlyprintk=xen"] : [];
        text.Append($"extra = \"{string.Join(' ', ["console=hvc0", "quiet", .. early, .. KernelArgs ?? []])}\"\n");
        text.Append($"memory = {MemoryMiB}\n");
        text.Append("vcpus = 1\n");
        text.Append("on_poweroff = \"destroy\"\non_reboot = \"destroy\"\non_crash = \"destroy\"\n");
        // Only kernel blkback disks are libxl's (the others: DiskNodes); they keep their vdev by index.
        var disks = Disks.Select((d, i) => (d, i)).Where(x => !DiskNodes.WrittenByRealXen(x.d)).Select(x =>
            $"\"format=raw,vdev={DiskDevice(x.i)},access=rw,backendtype=phy,script={VbdScript},target={x.d.File}\"");
        text.Append($"disk = [ {string.Join(", ", disks)} ]\n");
        text.Append(Nic ? $"vif = [ \"bridge=xenbr0,script={VifScript}\" ]\n" : "vif = [ ]\n");
        return text.ToString();
    }
}
