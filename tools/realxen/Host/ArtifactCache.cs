using System.IO.Compression;

namespace XenGen.RealXen.Host;

/// <summary>
/// What realxen caches outside the repository, each artefact in a folder named after the package version it came
/// from (made in a temporary folder and renamed into place, so a folder that exists is complete): Debian's kernel
/// <c>.deb</c> extracted with its <c>modules.dep</c>, and the gunzipped Xen hypervisor QEMU's multiboot loader takes.
/// </summary>
internal sealed class ArtifactCache(string root)
{
    /// <summary>The cache folder when neither <c>--cache</c> nor <c>REALXEN_CACHE</c> names one.</summary>
    public const string DefaultRoot = "/var/cache/xengen/realxen";

    /// <summary>The Debian package whose dependency names the current kernel image package.</summary>
    public const string KernelMetapackage = "linux-image-amd64";

    private const string HypervisorPackage = "xen-hypervisor-4.17-amd64";
    private const string HypervisorImage = "/boot/xen-4.17-amd64.gz";

    /// <summary>The cache folder.</summary>
    public string Root { get; } = root;

    /// <summary>The cache folder from <c>REALXEN_CACHE</c>, else <see cref="DefaultRoot"/>.</summary>
    public static string RootFromEnvironment() => Environment.GetEnvironmentVariable("REALXEN_CACHE") is { Length: > 0 } r ? r : DefaultRoot;

    /// <summary>The kernel image package <see cref="KernelMetapackage"/> depends on, extracted (downloaded the first time).</summary>
    public DebianKernel Kernel(Action<string> progress)
    {
        var package = KernelPackageName();
        var version = CandidateVersion(package);
        var folder = Path.Combine(Root, $"{package}_{version}");
        if (!Directory.Exists(folder))
        {
            progress($"downloading and extracting {package} {version} into {folder}");
            Directory.CreateDirectory(Root);
            var work = Directory.CreateDirectory(Path.Combine(Root, $".work-{Environment.ProcessId}-{Guid.NewGuid():N}")).FullName;
            try
            {
                ProcessRunner.Check("apt-get", ["download", "-qq", $"{package}={version}"], workingDirectory: work);
                var deb = Directory.GetFiles(work, "*.deb").Single();
                var tree = Path.Combine(work, "tree");
                ProcessRunner.Check("dpkg-deb", ["-x", deb, tree]);
                var release = DebianKernel.ReleaseOf(tree);
                ProcessRunner.Check("depmod", ["-b", tree, release]);
                Directory.Move(tree, folder);
            }
            finally
            {
                Directory.Delete(work, recursive: true);
            }
        }
        return DebianKernel.Open(folder);
    }

    /// <summary>The installed Xen hypervisor, gunzipped (QEMU loads it as a multiboot ELF).</summary>
    public string Hypervisor(Action<string> progress)
    {
        var version = AptPackages.InstalledVersion(HypervisorPackage) ?? throw new RealXenException($"{HypervisorPackage} is not installed");
        var file = Path.Combine(Root, $"xen-4.17-amd64_{version}");
        if (File.Exists(file)) return file;
        if (!File.Exists(HypervisorImage)) throw new RealXenException($"{HypervisorImage}: missing although {HypervisorPackage} {version} is installed");
        progress($"unpacking {HypervisorImage} into {file}");
        Directory.CreateDirectory(Root);
        var temporary = file + ".tmp-" + Environment.ProcessId;
        using (var input = new GZipStream(File.OpenRead(HypervisorImage), CompressionMode.Decompress))
        using (var output = File.Create(temporary))
            input.CopyTo(output);
        File.Move(temporary, file, overwrite: true);
        return file;
    }

    private static string KernelPackageName()
    {
        var output = ProcessRunner.Check("apt-cache", ["depends", KernelMetapackage]);
        foreach (var line in output.Split('\n'))
        {
            var trimmed = line.Trim();
            if (trimmed.StartsWith("Depends: linux-image-", StringComparison.Ordinal)) return trimmed["Depends: ".Length..];
        }
        throw new RealXenException($"apt-cache depends {KernelMetapackage} names no linux-image package (run apt-get update?)");
    }

    private static string CandidateVersion(string package)
    {
        var output = ProcessRunner.Check("apt-cache", ["show", "--no-all-versions", package]);
        foreach (var line in output.Split('\n'))
            if (line.StartsWith("Version: ", StringComparison.Ordinal)) return line["Version: ".Length..].Trim();
        throw new RealXenException($"apt-cache show {package} gives no version");
    }
}
