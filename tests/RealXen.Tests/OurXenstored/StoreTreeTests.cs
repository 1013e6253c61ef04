namespace XenGen.RealXen.Tests.OurXenstored;

/// <summary>The tree comparison the real-Xen test relies on: equal trees of two boots match, and a changed permission, a missing node or a changed value does not.</summary>
public sealed class StoreTreeTests
{
    private const string C = """
        /local/domain/1/device/vbd/51712 = ""   (n1,r0)
        /local/domain/1/device/vbd/51712/backend = "/local/domain/0/backend/vbd/1/51712"   (n1,r0)
        /local/domain/1/device/vbd/51712/ring-ref = "8"   (n1,r0)
        /local/domain/1/vm = "/vm/6f1d62b4-5bd4-4b4b-9c39-1d0f3f1a0c11"   (n0,r1)
        /local/domain/1/device/vif/0/mac = "00:16:3e:12:34:56"   (n1,r0)
        /local/domain/0/backend/vif/1/0/script = "/tmp/realxen-guest-YYEKvt/vif-hotplug.sh"   (n0,r1)
        """;

    private static IReadOnlyList<string> Compare(string ours, string oursId, string c = C, string cId = "1") =>
        StoreTree.Differences(StoreTree.Normalise(StoreTree.Parse(ours), oursId), StoreTree.Normalise(StoreTree.Parse(c), cId));

    [Fact]
    public void The_same_tree_under_another_domain_id_with_fresh_refs_uuids_and_macs_matches()
    {
        string ours = C.Replace("/1/", "/2/").Replace("/domain/1", "/domain/2").Replace("(n1,", "(n2,").Replace(",r1)", ",r2)")
            .Replace("\"8\"", "\"9\"").Replace("6f1d62b4", "0a0b0c0d").Replace("12:34:56", "ab:cd:ef").Replace("YYEKvt", "a1B2c3");
        Assert.Empty(Compare(ours, "2"));
    }

    [Theory]
    [InlineData("(n1,r0)", "(n1,b0)")]
    [InlineData("/backend/vbd/1/51712\"", "/backend/vbd/1/51713\"")]
    [InlineData("/local/domain/1/device/vif/0/mac", "/local/domain/1/device/vif/0/mac-address")]
    [InlineData("/vif-hotplug.sh", "/vbd-hotplug.sh")]
    public void A_changed_permission_value_or_path_is_reported(string from, string to)
    {
        var differences = Compare(C.Replace(from, to), "1");
        Assert.Contains(differences, d => d.StartsWith("ours only: ", StringComparison.Ordinal));
        Assert.Contains(differences, d => d.StartsWith("C only:    ", StringComparison.Ordinal));
    }

    [Fact]
    public void A_missing_node_is_reported()
    {
        var differences = Compare(string.Join('\n', C.Split('\n')[1..]), "1");
        Assert.Equal(["C only:    /local/domain/G/device/vbd/51712 = \"\" (nG,r0)"], differences);
    }

    [Fact]
    public void A_line_that_is_not_xenstore_ls_output_is_refused()
    {
        var e = Assert.Throws<FormatException>(() => StoreTree.Parse("xenstore-ls: could not connect"));
        Assert.Contains("xenstore-ls: could not connect", e.Message, StringComparison.Ordinal);
    }
}
