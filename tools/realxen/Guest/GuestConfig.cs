using System.Text;

namespace XenGen.RealXen.Guest;

/// <summary>What a throwaway guest is made of.</summary>
internal sealed record GuestSpec(string Name, string Type, int MemoryMiB, string Kernel, string Ramdisk, IReadOnlyList<DiskSpec> Disks, bool Nic)
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
        text.Append("extra = \"console=hvc0 quiet\"\n");
        text.Append($"memory = {MemoryMiB}\n");
        text.Append("vcpus = 1\n");
        text.Append("on_poweroff = \"destroy\"\non_reboot = \"destroy\"\non_crash = \"destroy\"\n");
        var disks = Disks.Select((d, i) => $"\"format=raw,vdev={DiskDevice(i)},access=rw,backendtype={d.LibxlBackendType},target={d.File}\"");
        text.Append($"disk = [ {string.Join(", ", disks)} ]\n");
        text.Append(Nic ? "vif = [ \"bridge=xenbr0\" ]\n" : "vif = [ ]\n");
        return text.ToString();
    }
}
