using Xunit;
using Xunit.Abstractions;

namespace Xen.Drivers.Frontends.Tests;

/// <summary>
/// Xbf and Xnf in a real PV guest's user space (the agent target: /dev/xen/xenbus, gntalloc, evtchn) on real Xen 4.17,
/// the guest's kernel frontends left out: one boot whose dom0 runs <c>xen-front-check dom0</c>, which boots one guest
/// with two disks on Linux's xen-blkback (loop devices), two on QEMU's qdisk and a vif on xen-netback. On the first
/// disk of each backend: a seeded random job through xbf whose reads must match and whose result dom0 compares with
/// the backing file; on the second: an ext4 image (mkfs.ext4 -d in dom0, in the guest's initramfs) copied onto it by
/// nbdcopy through our NBD export of it, read back through xbf, then e2fsck -f clean and byte-equal in dom0; and
/// through xnf bridged to a TAP in the guest, ping and iperf3 both ways with dom0.
/// </summary>
[Trait("Category", "RealXen")]
public sealed class FrontendsOnRealXenTests(ITestOutputHelper output) : IDisposable
{
    private readonly string work = Directory.CreateTempSubdirectory("xen-front-check-").FullName;

    /// <summary>Every check; each must print <c>ok</c>.</summary>
    private static readonly string[] Checks =
    [
        "guest: ok no kernel driver is bound to the guest's xenbus devices",
        "guest: ok xvda: xbf connected to its backend",
        "guest: ok xvdb: xbf connected to its backend",
        "guest: ok xvdc: xbf connected to its backend",
        "guest: ok xvdd: xbf connected to its backend",
        "guest: ok xvda: the whole disk read back through xbf is the job's result",
        "guest: ok xvdc: the whole disk read back through xbf is the job's result",
        "guest: ok nbdcopy of the ext4 image onto xvdb through our NBD export of xbf",
        "guest: ok nbdcopy of the ext4 image onto xvdd through our NBD export of xbf",
        "guest: ok xvdb: read back through xbf, the disk is the ext4 image",
        "guest: ok xvdd: read back through xbf, the disk is the ext4 image",
        "guest: ok xnf0 connected to dom0's netback",
        "guest: ok ping 10.77.0.1 from tap0 through xnf0 and xen-netback",
        "guest: ok iperf3 TCP from the guest to dom0 through xnf0",
        "guest: ok iperf3 TCP from dom0 to the guest through xnf0",
        "guest: ok xnf0 saw no backend error",
        "dom0: ok the guest on kernel and qdisk disks and xen-netback passed its checks (realxen guest exited 0)",
        "dom0: ok kernel: the backing file holds exactly what the guest's random job through xbf wrote",
        "dom0: ok kernel: e2fsck -f finds the ext4 the guest copied through xbf clean",
        "dom0: ok kernel: the copy is its source byte for byte",
        "dom0: ok qdisk: the backing file holds exactly what the guest's random job through xbf wrote",
        "dom0: ok qdisk: e2fsck -f finds the ext4 the guest copied through xbf clean",
        "dom0: ok qdisk: the copy is its source byte for byte",
    ];

    [Fact]
    public void Xbf_and_xnf_in_a_guest_use_xen_blkback_qdisk_and_xen_netback()
    {
        string repo = FrontendsRun.RepositoryRoot();
        string check = FrontendsRun.PublishCheck(repo, work);
        var (exit, text) = FrontendsRun.Run("dotnet", [FrontendsRun.Realxen(repo), "run", "--timeout", "3600", "--",
            $"{check} dom0 --modules $REALXEN_MODULES"], TimeSpan.FromMinutes(62));
        output.WriteLine(text);
        Assert.DoesNotContain(": FAIL ", text);
        foreach (var line in Checks) Assert.Contains(line, text);
        Assert.Equal(2, CountOf(text, "random reads through xbf match the disk's content"));
        Assert.Equal(0, exit);
    }

    private static int CountOf(string text, string what) => text.Split('\n').Count(l => l.Contains(": ok ") && l.Contains(what));

    public void Dispose() => Directory.Delete(work, recursive: true);
}
