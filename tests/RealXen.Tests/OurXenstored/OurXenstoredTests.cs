namespace XenGen.RealXen.Tests.OurXenstored;

/// <summary>
/// tools/xenstored as a real dom0's store (<c>realxen run --store ours</c>, issue 15): dom0's kernel, xl and
/// xen-init-dom0, Linux's blkback and netback in dom0, and a PV guest's Linux xenbus are its clients; Xen's
/// test-xenstore runs from dom0 and over a guest's ring; the guest's tree is to match the one the same toolstack
/// writes with Debian's C xenstored (<see cref="CXenstoredBoot"/>: the same script, in the boot RealXenBootTests reads).
/// </summary>
[Trait("Category", "RealXen")]
[Collection("realxen boots")]
public sealed class OurXenstoredTests(OurXenstoredBoots boots, CXenstoredBoot cXenstored) : IClassFixture<OurXenstoredBoots>
{
    private string Ours => boots.Ours.Output;

    [Fact]
    public void The_boot_passes_the_xenstored_step_and_runs_the_whole_script()
    {
        Assert.True(boots.Ours.ExitCode == 3, boots.Ours.ToString());
        Assert.Contains("step xenstored", boots.Ours.Error, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^Domain-0 +0 ", Sections.Of(Ours, "xl list"));
    }

    [Fact]
    public void Dom0s_kernel_is_served_on_its_own_ring()
    {
        // Linux's xenbus in dom0 writes these through the xsd_kva page, not through the socket.
        var tree = Sections.Of(Ours, "dom0 tree");
        Assert.Contains("/local/domain/0/control/feature-poweroff = \"1\"", tree, StringComparison.Ordinal);
        Assert.Contains("serving dom0's kernel", Sections.Of(Ours, "xenstored log"), StringComparison.Ordinal);
    }

    [Fact]
    public void Test_xenstore_passes_from_dom0()
    {
        TestXenstorePassed(Sections.Of(Ours, "test-xenstore dom0"));
    }

    [Fact]
    public void A_guests_xenbus_sees_its_disk_and_vif_and_its_console_output_is_logged()
    {
        // realxen guest prints the guest's console from xenconsoled's log: console, xenbus and frontends together.
        var devices = Sections.Of(Ours, "guest devices");
        Assert.Contains("/dev/xvda", devices, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^00:16:3e:[0-9a-f]{2}:[0-9a-f]{2}:[0-9a-f]{2}$", devices);
        Assert.Contains("== guest status 7", Ours, StringComparison.Ordinal);
    }

    [Fact]
    public void Blkback_and_netback_reach_Connected_with_the_guests_frontends()
    {
        var states = Sections.Of(Ours, "states").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(4, states.Length);
        Assert.All(states, line => Assert.EndsWith(" 4", line, StringComparison.Ordinal));
    }

    [Fact]
    public void Test_xenstore_passes_in_a_guest_over_its_ring()
    {
        TestXenstorePassed(Sections.Of(Ours, "test-xenstore guest"));
    }

    [Fact]
    public void Xl_destroy_ends_a_guest_and_our_xenstored_releases_it()
    {
        Assert.Contains("xl destroy status 0", Sections.Of(Ours, "xl destroy"), StringComparison.Ordinal);
        Assert.DoesNotContain("victim", Sections.Of(Ours, "xl list after"), StringComparison.Ordinal);
        Assert.Contains("No such file or directory", Sections.Of(Ours, "victim home after"), StringComparison.Ordinal);
        Assert.Matches(@"domain \d+ is (gone|dying): releasing it", Sections.Of(Ours, "xenstored log"));
    }

    [Theory]
    [InlineData("guest tree")]
    [InlineData("backend tree")]
    [InlineData("libxl tree")]
    public async Task Dom0s_xenstore_ls_shows_the_guests_tree_as_with_C_xenstored(string section)
    {
        var cBoot = await cXenstored.Result;
        Assert.True(cBoot.ExitCode == 3, cBoot.ToString());
        var ours = StoreTree.Normalise(StoreTree.Parse(Sections.Of(Ours, section)), Sections.Of(Ours, "guest domid").Trim());
        var c = StoreTree.Normalise(StoreTree.Parse(Sections.Of(cBoot.Output, section)), Sections.Of(cBoot.Output, "guest domid").Trim());
        var differences = StoreTree.Differences(ours, c);
        Assert.True(differences.Count == 0, string.Join('\n', differences));
    }

    private static void TestXenstorePassed(string output)
    {
        Assert.Contains("test-xenstore status 0", output, StringComparison.Ordinal);
        Assert.DoesNotContain("failed", output, StringComparison.Ordinal);
        foreach (var test in new[] { "read 1", "write 2000", "dir", "rm dir", "ta rmw", "ta err" })
            Assert.Matches($@"(?m)^{test} *: avg: \d+ ns", output);
    }
}
