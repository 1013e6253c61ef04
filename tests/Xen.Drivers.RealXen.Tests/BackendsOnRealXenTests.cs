using Xunit.Abstractions;

namespace Xen.Drivers.RealXen.Tests;

/// <summary>
/// Our backends in a real dom0's user space (tools/xenbackendd on the agent target: /dev/xen/evtchn, gntdev, xenbus)
/// serving a real Linux PV guest's frontends on Xen 4.17 under QEMU: Blkback on a <c>backend=standalone</c> disk for
/// xen-blkfront (mkfs.ext4, files with checksums, fio with verification, e2fsck in dom0), Netback on the guest's vif
/// for xen-netfront (ping, iperf3 both ways through the backend's TAP on dom0's bridge). One boot for the class.
/// </summary>
[Trait("Category", "RealXen")]
public sealed class BackendsOnRealXenTests(BackendsBoot boot, ITestOutputHelper output) : IClassFixture<BackendsBoot>
{
    // Seen passing in a manual realxen run of these scripts (47 min under load); not yet run through dotnet test.
    [Fact]
    public void The_boot_ran_the_guest_and_nothing_failed()
    {
        output.WriteLine(boot.Output);
        Assert.DoesNotContain("FAIL ", boot.Output, StringComparison.Ordinal);
        Assert.Contains("ok dom0: xenbackendd ready", boot.Output, StringComparison.Ordinal);
        Assert.Contains("== guest status 0", boot.Output, StringComparison.Ordinal);
        Assert.True(boot.Exit == 0, $"realxen exited {boot.Exit}");
    }

    [Fact]
    public void Blkback_serves_xen_blkfront_a_filesystem_fio_verifies_and_e2fsck_finds_clean()
    {
        var guest = boot.Section("guest disk");
        output.WriteLine(guest);
        Assert.Matches(@"ok guest: xen-blkfront sees xvda, 524288 sectors", guest);
        foreach (var check in new[] { "mkfs.ext4 /dev/xvda", "mounted xvda", "5 files written, remounted and read back match their sha256",
                                      "fio random writes of 4k-128k at depth 8 (direct, libaio) verified by crc32c", "unmounted xvda" })
            Assert.Contains("ok guest: " + check, guest, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^file5: OK", guest);

        var daemon = boot.Section("xenbackendd");
        Assert.Matches(@"xenbackendd: serving /local/domain/0/backend/standalone/\d+/51712", daemon);
        Assert.Matches(@"blkback \d+/51712: connected, \d+ queue\(s\) of \d+-page rings", daemon);

        var dom0 = boot.Section("dom0 checks");
        output.WriteLine(dom0);
        Assert.Contains("ok dom0: e2fsck -f clean on the backing file", dom0, StringComparison.Ordinal);
        Assert.Contains("ok dom0: the guest's files read out of the backing file match the guest's sha256", dom0, StringComparison.Ordinal);
    }

    [Fact]
    public void Netback_serves_xen_netfront_ping_and_iperf3_both_ways_with_the_offloads_it_negotiated()
    {
        var guest = boot.Section("guest net");
        output.WriteLine(guest);
        foreach (var check in new[] { "ping dom0", "iperf3 guest to dom0", "iperf3 dom0 to guest" })
            Assert.Contains("ok guest: " + check, guest, StringComparison.Ordinal);
        Assert.Matches(@"ok guest: xen-netfront sees eth0 \(00:16:3e:", guest);

        var daemon = boot.Section("xenbackendd");
        output.WriteLine(daemon);
        Assert.Matches(@"xenbackendd: serving /local/domain/0/backend/vif/\d+/0", daemon);
        // Linux's netfront asks for scatter-gather, TSO and checksum offload: the vif and its TAP take them.
        var connected = Assert.Single(daemon.Split('\n'), l => l.Contains(": connected, ", StringComparison.Ordinal) && l.StartsWith("vif", StringComparison.Ordinal));
        foreach (var feature in new[] { "ScatterGather", "TcpV4Segmentation", "ChecksumIPv4" })
            Assert.Contains(feature, connected, StringComparison.Ordinal);
        Assert.Matches(@"vif\d+\.0: bridged to vif\d+\.0 \(offloads [^)]*TcpV4Segmentation", daemon);
    }
}
