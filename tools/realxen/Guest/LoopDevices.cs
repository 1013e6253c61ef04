using XenGen.RealXen.Host;

namespace XenGen.RealXen.Guest;

/// <summary>
/// The loop devices of a guest's kernel-blkback disks, attached before <c>xl create</c> and detached after the guest is
/// gone. libxl gives each disk's hotplug script 40 s; under the emulator on a loaded machine every process the script
/// starts costs seconds, so <c>losetup</c> runs here, where no timer runs, and the script only publishes the device.
/// </summary>
internal sealed class LoopDevices : IDisposable
{
    private readonly List<string> attached = [];

    /// <summary>The loop device now backing <paramref name="file"/> (<c>losetup -f --show</c>).</summary>
    public string Attach(string file)
    {
        var device = ProcessRunner.Check("losetup", ["-f", "--show", file]).Trim();
        if (!device.StartsWith("/dev/loop", StringComparison.Ordinal))
            throw new RealXenException($"losetup -f --show {file} printed '{device}', not a loop device");
        attached.Add(device);
        return device;
    }

    /// <summary>
    /// The disks as libxl is to see them: each kernel-blkback file through its own loop device, the others as they are.
    /// </summary>
    public IReadOnlyList<DiskSpec> AttachKernelDisks(IEnumerable<DiskSpec> disks) =>
        [.. disks.Select(d => d.Backend == DiskBackend.Kernel ? d with { File = Attach(d.File) } : d)];

    /// <summary>Detaches every device attached here (a device still open is freed by the kernel once closed).</summary>
    public void Dispose()
    {
        foreach (var device in attached) ProcessRunner.Run("losetup", ["-d", device]);
        attached.Clear();
    }
}
