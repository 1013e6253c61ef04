using XenGen.HeaderImporter.Tests.Support;

namespace XenGen.HeaderImporter.Tests.Proof;

/// <summary>What every model records about how it was parsed.</summary>
public sealed class ImportSettingsTests
{
    public static TheoryData<string, string> AllReleasesAndArches() => Releases.All();

    [Theory]
    [MemberData(nameof(AllReleasesAndArches))]
    public void Model_records_tools_define_and_the_release_latest_interface_version(string release, string arch)
    {
        var m = Releases.Import(release, arch).Model;
        var pin = Releases.Catalog.Find(release);
        Assert.Equal(pin.InterfaceVersion, m.InterfaceVersion);
        Assert.Contains("__XEN_TOOLS__", m.Defines);
        Assert.Contains("__XEN_INTERFACE_VERSION__=" + pin.InterfaceVersion, m.Defines);
        Assert.Equal(TargetArch.Parse(arch).Triple, m.Triple);
        Assert.Equal(pin.HeaderTreeSha256, m.HeaderTreeSha256);
        Assert.Empty(Releases.Import(release, arch).Diagnostics);
    }

    [Theory]
    [InlineData("x86_64", "arch-arm.h", "arm-specific header")]
    [InlineData("arm32", "arch-x86/xen.h", "x86-specific header")]
    [InlineData("x86_64", "arch-x86_32.h", "x86_32-specific header")]
    [InlineData("arm64", "dom0_ops.h", "does not compile after xen.h")]
    public void Headers_that_do_not_apply_are_listed_as_skipped_with_the_reason(string arch, string header, string reason)
    {
        var entry = Releases.Import("4.17.5", arch).Model.Headers.Single(h => h.Path == header);
        Assert.NotNull(entry.Skipped);
        Assert.StartsWith(reason, entry.Skipped);
    }

    [Fact]
    public void Every_header_of_the_tree_is_listed_once_and_most_are_imported()
    {
        var tree = Releases.Tree("4.20.4");
        var m = Releases.Import("4.20.4", "x86_64").Model;
        Assert.Equal(tree.Headers, m.Headers.Select(h => h.Path));
        Assert.InRange(m.Headers.Count(h => h.Skipped is null), m.Headers.Count - 10, m.Headers.Count);
        // arch-x86/hvm/save.h only compiles inside hvm/save.h, so it is imported through a header that includes it.
        string? via = m.Headers.Single(h => h.Path == "arch-x86/hvm/save.h").IncludedBy;
        Assert.NotNull(via);
        Assert.Null(m.Headers.Single(h => h.Path == via).IncludedBy);
    }
}
