namespace XenGen.RealXen.Host;

/// <summary>Installs Debian packages by name when they are missing (<c>apt-get install --no-install-recommends</c>).</summary>
internal static class AptPackages
{
    /// <summary>What <c>realxen run</c> needs on the host and, through the shared root, in dom0.</summary>
    public static readonly string[] ForRun =
    [
        "qemu-system-x86", "xen-hypervisor-4.17-amd64", "xen-utils-4.17", "busybox-static", "kmod", "iproute2",
        "util-linux", "dpkg",
    ];

    /// <summary>Installs those of <paramref name="packages"/> that dpkg does not list as installed.</summary>
    public static void EnsureInstalled(IReadOnlyCollection<string> packages, Action<string> progress)
    {
        var missing = packages.Where(p => !IsInstalled(p)).ToList();
        if (missing.Count == 0) return;
        progress($"installing {string.Join(' ', missing)}");
        ProcessRunner.Check("apt-get", ["update", "-qq"]);
        var environment = new Dictionary<string, string> { ["DEBIAN_FRONTEND"] = "noninteractive" };
        ProcessRunner.Check("apt-get", ["install", "-y", "-qq", "--no-install-recommends", .. missing], environment: environment);
    }

    /// <summary>The installed version of <paramref name="package"/>, or null.</summary>
    public static string? InstalledVersion(string package)
    {
        var result = ProcessRunner.Run("dpkg-query", ["-W", "-f=${Status}\t${Version}", package]);
        if (result.ExitCode != 0) return null;
        var fields = result.Output.Split('\t');
        return fields.Length == 2 && fields[0].EndsWith(" installed", StringComparison.Ordinal) ? fields[1] : null;
    }

    private static bool IsInstalled(string package) => InstalledVersion(package) is not null;
}
