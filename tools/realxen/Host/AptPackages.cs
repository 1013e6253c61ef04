namespace XenGen.RealXen.Host;

/// <summary>Installs Debian packages by name when they are missing (<c>apt-get install --no-install-recommends</c>).</summary>
internal static class AptPackages
{
    /// <summary>What <c>realxen run</c> needs on the host and, through the shared root, in dom0 (qemu-system-xen: qdisk disks).</summary>
    public static readonly string[] ForRun =
    [
        "qemu-system-x86", "xen-hypervisor-4.17-amd64", "xen-utils-4.17", "busybox-static", "kmod", "iproute2",
        "util-linux", "dpkg", "qemu-system-xen",
    ];

    /// <summary>Installs those of <paramref name="packages"/> that dpkg does not list as installed.</summary>
    public static void EnsureInstalled(IReadOnlyCollection<string> packages, Action<string> progress)
    {
        var installed = InstalledVersions(packages);
        var missing = packages.Where(p => !installed.ContainsKey(p)).ToList();
        if (missing.Count == 0) return;
        progress($"installing {string.Join(' ', missing)}");
        ProcessRunner.Check("apt-get", ["update", "-qq"]);
        var environment = new Dictionary<string, string> { ["DEBIAN_FRONTEND"] = "noninteractive" };
        ProcessRunner.Check("apt-get", ["install", "-y", "-qq", "--no-install-recommends", .. missing], environment: environment);
    }

    /// <summary>The installed version of <paramref name="package"/>, or null.</summary>
    public static string? InstalledVersion(string package) => InstalledVersions([package]).GetValueOrDefault(package);

    /// <summary>The installed versions of those of <paramref name="packages"/> that are installed (one dpkg-query).</summary>
    private static Dictionary<string, string> InstalledVersions(IReadOnlyCollection<string> packages)
    {
        // dpkg-query exits 1 when one of the packages is unknown, and still prints the others.
        var result = ProcessRunner.Run("dpkg-query", ["-W", "-f=${Package}\t${Status}\t${Version}\n", .. packages]);
        var versions = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in result.Output.Split('\n'))
        {
            var fields = line.Split('\t');
            if (fields.Length == 3 && fields[1].EndsWith(" installed", StringComparison.Ordinal)) versions[fields[0].Split(':')[0]] = fields[2];
        }
        return versions;
    }
}
