using Xen.GuestAgent.Collectors;

namespace Xen.GuestAgent.Tests.Collectors;

/// <summary>The collectors on made-up files: os-release(5) quoting, Debian's minor version, meminfo, vif devids from sysfs and names.</summary>
public sealed class CollectorTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("xga-root-").FullName;

    private void File(string relative, string text)
    {
        string path = Path.Combine(_root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        System.IO.File.WriteAllText(path, text);
    }

    [Fact]
    public void OsReleaseIsUnquotedAndDebianVersionGivesTheMinor()
    {
        File("etc/os-release", "# comment\nPRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nNAME='Debian GNU/Linux'\nVERSION_ID=\"12\"\nID=debian\nBAD LINE\n");
        File("etc/debian_version", "12.7\n");
        File("proc/sys/kernel/osrelease", "6.1.0-25-amd64\n");
        var os = new OsInfoCollector(_root).Collect();
        Assert.Equal(new OsInfo("debian", "Debian GNU/Linux", "Debian GNU/Linux 12 (bookworm)", "12", "12", "7", "6.1.0-25-amd64"), os);
    }

    [Fact]
    public void VersionIdWithAMinorAndEscapesInQuotes()
    {
        File("usr/lib/os-release", "NAME=\"Fedora \\\"Linux\\\"\"\nVERSION_ID=40.1\nID=fedora\nVERSION=\"40 (Workstation)\"\n");
        var os = new OsInfoCollector(_root).Collect();
        Assert.Equal("Fedora \"Linux\"", os.Name);
        Assert.Equal("Fedora \"Linux\" 40 (Workstation)", os.PrettyName);
        Assert.Equal(("40", "1"), (os.MajorVersion, os.MinorVersion));
    }

    [Fact]
    public void NoFilesGiveNeutralValues()
    {
        var os = new OsInfoCollector(_root).Collect();
        Assert.Equal(new OsInfo("linux", "Linux", "Linux", null, null, null, "unknown"), os);
    }

    [Fact]
    public void MeminfoPrefersMemAvailableAndNamesAMissingTotal()
    {
        File("meminfo", "MemTotal:        2048000 kB\nMemFree:          100000 kB\nMemAvailable:    1024000 kB\n");
        Assert.Equal(new MemoryInfo(2048000, 1024000), new MemoryCollector(Path.Combine(_root, "meminfo")).Collect(out _));
        File("meminfo", "MemFree:          100000 kB\n");
        Assert.Null(new MemoryCollector(Path.Combine(_root, "meminfo")).Collect(out string? problem));
        Assert.Contains("no MemTotal", problem);
        Assert.Null(new MemoryCollector(Path.Combine(_root, "absent")).Collect(out problem));
        Assert.Contains("absent", problem);
    }

    [Fact]
    public void VifDevidComesFromTheNodenameElseFromTheName()
    {
        File("net/ens3/device/nodename", "device/vif/4\n");
        File("net/eth1/device/nodename", "device/vbd/768\n");
        var vifs = new VifDevices(Path.Combine(_root, "net"));
        Assert.Equal(4, vifs.DevidOf("ens3"));
        Assert.Equal(1, vifs.DevidOf("eth1"));
        Assert.Equal(2, vifs.DevidOf("enX2"));
        Assert.Null(vifs.DevidOf("wlan0"));
        Assert.Null(vifs.DevidOf("eth"));
        Assert.Null(vifs.DevidOf("../eth0"));
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
