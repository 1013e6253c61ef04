using XenGen.RealXen.Boot;
using XenGen.RealXen.Host;
using XenGen.RealXen.Initramfs;

namespace XenGen.RealXen.Guest;

/// <summary>
/// A guest's initramfs: busybox, the kernel's frontends (xen-blkfront, xen-netfront) in load order unless left out,
/// <c>Scripts/guest-init.sh</c>, COMMAND, and the host files COMMAND needs at the same paths, with the shared
/// libraries of each ELF program among them.
/// </summary>
internal static class GuestImage
{
    /// <summary>The modules every guest loads.</summary>
    public static readonly string[] Frontends = ["xen-blkfront", "xen-netfront"];

    /// <summary>Writes the initramfs to <paramref name="file"/>.</summary>
    /// <param name="file">The initramfs to write.</param>
    /// <param name="kernel">The guest's kernel, whose modules it takes.</param>
    /// <param name="marker">The marker COMMAND's status is reported after.</param>
    /// <param name="command">COMMAND's words.</param>
    /// <param name="files">The dom0 files COMMAND needs.</param>
    /// <param name="waitFor">Paths in the guest that init waits for (up to 5 s) before COMMAND: the devices the guest should see.</param>
    /// <param name="kernelFrontends">Whether the kernel's frontends go in; without them a frontend of COMMAND's serves the devices.</param>
    public static void Write(string file, DebianKernel kernel, ConsoleMarker marker, IReadOnlyList<string> command, IEnumerable<string> files, IEnumerable<string> waitFor, bool kernelFrontends = true)
    {
        var modules = kernelFrontends ? new KernelModules(kernel.ModulesDirectory).LoadOrder(Frontends) : [];
        var archive = new CpioArchive();
        archive.AddFile("bin/busybox", Dom0Image.Busybox);
        foreach (var module in modules) archive.AddFile("modules/" + Path.GetFileName(module), Path.Combine(kernel.ModulesDirectory, module));
        foreach (var dir in new[] { "proc", "sys", "dev", "tmp", "root" }) archive.AddDirectory(dir);
        foreach (var host in files) AddWithLibraries(archive, host);
        archive.AddText("init", ScriptTemplate.Render("guest-init.sh", new Dictionary<string, string>
        {
            ["MARK"] = marker.Prefix,
            ["MODULES"] = string.Join(' ', modules.Select(Path.GetFileName)),
            ["DEVICES"] = string.Join(' ', waitFor),
        }), 0x1ED);
        archive.AddText("command.sh", ScriptTemplate.Command(command), 0x1A4);
        archive.WriteTo(file);
    }

    private static void AddWithLibraries(CpioArchive archive, string host)
    {
        var path = Path.GetFullPath(host);
        if (!File.Exists(path)) throw new RealXenException($"--file {host}: no such file");
        if (archive.Contains(path)) return;
        archive.AddFile(path, path);
        if (!ElfDependencies.IsElf(path)) return;
        foreach (var library in ElfDependencies.Of(path))
            if (!archive.Contains(library)) archive.AddFile(library, library);
    }
}
