namespace XenGen.RealXen.Host;

/// <summary>An extracted Debian kernel package: its <c>vmlinuz</c> and its modules folder with <c>modules.dep</c>.</summary>
internal sealed record DebianKernel(string Image, string ModulesDirectory, string Release)
{
    /// <summary>Opens an extracted package tree (the folder <c>dpkg-deb -x</c> wrote into).</summary>
    public static DebianKernel Open(string tree)
    {
        var release = ReleaseOf(tree);
        var image = Path.Combine(tree, "boot", "vmlinuz-" + release);
        if (!File.Exists(image)) throw new RealXenException($"{tree}: no boot/vmlinuz-{release}");
        return new DebianKernel(image, Path.Combine(tree, "lib", "modules", release), release);
    }

    /// <summary>The kernel release (<c>6.1.0-57-amd64</c>): the one folder under <c>lib/modules</c>.</summary>
    public static string ReleaseOf(string tree)
    {
        var modules = Path.Combine(tree, "lib", "modules");
        var releases = Directory.Exists(modules) ? Directory.GetDirectories(modules) : [];
        if (releases.Length != 1) throw new RealXenException($"{modules}: expected one kernel release folder, found {releases.Length}");
        return Path.GetFileName(releases[0]);
    }

    /// <summary>The kernel realxen run handed to dom0 (<c>REALXEN_KERNEL</c>, <c>REALXEN_MODULES</c>), for realxen guest.</summary>
    public static DebianKernel FromDom0Environment()
    {
        var image = Environment.GetEnvironmentVariable("REALXEN_KERNEL");
        var modules = Environment.GetEnvironmentVariable("REALXEN_MODULES");
        if (string.IsNullOrEmpty(image) || string.IsNullOrEmpty(modules))
            throw new RealXenException("REALXEN_KERNEL and REALXEN_MODULES are not set: realxen guest runs in the dom0 of realxen run");
        return new DebianKernel(image, modules, Path.GetFileName(modules));
    }
}
