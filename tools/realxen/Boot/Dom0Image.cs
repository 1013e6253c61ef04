using XenGen.RealXen.Host;
using XenGen.RealXen.Initramfs;

namespace XenGen.RealXen.Boot;

/// <summary>
/// What dom0 boots from, written into the run's exchange folder (shared with dom0 over 9p, writable): the initramfs
/// (busybox, the modules the root needs, <c>Scripts/dom0-init.sh</c>), the dom0 stage and COMMAND's script.
/// </summary>
internal static class Dom0Image
{
    /// <summary>The modules the initramfs loads to reach the root: virtio PCI, 9p over virtio, overlayfs.</summary>
    public static readonly string[] RootModules = ["virtio_pci", "9pnet_virtio", "9p", "overlay"];

    /// <summary>Where busybox-static installs its static busybox.</summary>
    public const string Busybox = "/bin/busybox";

    /// <summary>What the dom0 stage starts as dom0's XenStore.</summary>
    public sealed record Store(string Name, string StartScript);

    /// <summary>Debian's C xenstored.</summary>
    public static Store CStore() => new("C xenstored", "/usr/lib/xen-4.17/bin/xenstored --pid-file /run/xenstored.pid || fail xenstored \"C xenstored did not start\"");

    /// <summary>Our tools/xenstored as dom0's store (<c>--xen</c>): its built <c>xenstored.dll</c>, or its NativeAOT binary.</summary>
    public static Store OurStore(string program) => new("our xenstored (tools/xenstored)",
        $"{(program.EndsWith(".dll", StringComparison.Ordinal) ? "dotnet " : "")}{ScriptTemplate.Quote(program)} --xen --socket /run/xenstored/socket >/var/log/xen/xenstored.log 2>&1 &\necho $! > /run/xenstored.pid");

    /// <summary>Writes <c>initrd</c>, <c>dom0-stage.sh</c> and <c>command.sh</c> into <paramref name="exchange"/>; returns the initrd's path.</summary>
    public static string Write(string exchange, DebianKernel kernel, ConsoleMarker marker, Store store, string realxenDll, IReadOnlyList<string> command)
    {
        var modules = new KernelModules(kernel.ModulesDirectory).LoadOrder(RootModules);
        var initramfs = new CpioArchive();
        initramfs.AddFile("bin/busybox", Busybox);
        foreach (var module in modules) initramfs.AddFile("modules/" + Path.GetFileName(module), Path.Combine(kernel.ModulesDirectory, module));
        foreach (var dir in new[] { "proc", "sys", "dev", "host", "upper", "root" }) initramfs.AddDirectory(dir);
        initramfs.AddText("init", ScriptTemplate.Render("dom0-init.sh", new Dictionary<string, string>
        {
            ["MARK"] = marker.Prefix,
            ["MODULES"] = string.Join(' ', modules.Select(Path.GetFileName)),
            ["MODULES_DIR"] = kernel.ModulesDirectory,
            ["KERNEL_RELEASE"] = kernel.Release,
        }), 0x1ED);
        var initrd = Path.Combine(exchange, "initrd");
        initramfs.WriteTo(initrd);

        File.WriteAllText(Path.Combine(exchange, "dom0-stage.sh"), ScriptTemplate.Render("dom0-stage.sh", new Dictionary<string, string>
        {
            ["MARK"] = marker.Prefix,
            ["KERNEL"] = ScriptTemplate.Quote(kernel.Image),
            ["MODULES_DIR"] = ScriptTemplate.Quote(kernel.ModulesDirectory),
            ["START_XENSTORED"] = store.StartScript,
            ["STORE_NAME"] = store.Name,
            ["REALXEN_DLL"] = ScriptTemplate.Quote(realxenDll),
            ["CWD"] = ScriptTemplate.Quote(Environment.CurrentDirectory),
        }));
        File.WriteAllText(Path.Combine(exchange, "command.sh"), ScriptTemplate.Command(command));
        return initrd;
    }
}
