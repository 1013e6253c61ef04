using System.Collections.Concurrent;
using Xen.Abi.Model;
using XenGen.HeaderImporter.Tests.Support;
using XenGen.Tool.Headers;

namespace XenGen.HeaderImporter.Tests.Proof;

/// <summary>
/// Same headers, same bytes: every committed model equals a fresh import of its release's pinned header tree, byte
/// for byte (all releases and arches; each release is imported once, its four arches in parallel). A difference is
/// shown as a unified diff of the first differing lines.
/// </summary>
public sealed class DeterminismTests
{
    private static readonly ConcurrentDictionary<string, string> TreeHashes = new();

    public static TheoryData<string, string> AllReleasesAndArches() => Releases.All();

    /// <summary>Null when the committed file of (release, arch) equals <paramref name="fresh"/>; else the failure message with a diff.</summary>
    internal static string? Mismatch(string release, string arch, string committed, string fresh)
    {
        string name = $"xen-public-headers/{release}/{arch}.abi.json";
        string? diff = TextDiff.Unified(committed, fresh, name + " (committed)", name + " (fresh import)");
        return diff is null
            ? null
            : $"{name} is stale or the import is not deterministic; run `xengen import --release {release}` and review:\n{diff}";
    }

    [Theory]
    [MemberData(nameof(AllReleasesAndArches))]
    public void Committed_model_is_what_the_importer_writes_today(string release, string arch)
    {
        var pin = Releases.Catalog.Find(release);
        string tree = TreeHashes.GetOrAdd(release, r => HeaderTreeHash.Compute(Releases.IncludeDir(r)));
        Assert.True(tree == pin.HeaderTreeSha256, $"the cached tree of {release} hashes to {tree}, not the pinned {pin.HeaderTreeSha256}; run `xengen headers fetch {release}`");

        string committed = File.ReadAllText(ModelFile.PathOf(Releases.ModelsDir, release, arch));
        string fresh = ModelJson.Write(Releases.Import(release, arch).Model);

        string? mismatch = Mismatch(release, arch, committed, fresh);
        Assert.True(mismatch is null, mismatch);
    }

    [Fact]
    public void A_mutated_model_copy_fails_the_comparison_with_a_diff_of_the_changed_line()
    {
        string committed = File.ReadAllText(ModelFile.PathOf(Releases.ModelsDir, "4.17.5", "x86_64"));
        var model = ModelJson.Read(committed, "x86_64.abi.json");
        var field = model.Records.First(r => r.Id == "blkif_request").Fields.First(f => f.Name == "id");
        field.OffsetBits += 8;
        string mutated = ModelJson.Write(model);

        string? mismatch = Mismatch("4.17.5", "x86_64", mutated, committed);

        Assert.NotNull(mismatch);
        Assert.Contains("--- xen-public-headers/4.17.5/x86_64.abi.json (committed)", mismatch);
        Assert.Contains("+++ xen-public-headers/4.17.5/x86_64.abi.json (fresh import)", mismatch);
        Assert.Matches(@"\n-\s*""offsetBits"": " + (field.OffsetBits) + @",?\n\+\s*""offsetBits"": " + (field.OffsetBits - 8) + @",?\n", mismatch);
        Assert.Contains("\n@@ -", mismatch);
        Assert.Null(Mismatch("4.17.5", "x86_64", committed, committed));
    }

    [Fact]
    public void The_diff_shows_context_and_cuts_long_differences()
    {
        string a = string.Join('\n', Enumerable.Range(1, 200).Select(i => $"line {i}"));
        string b = a.Replace("line 50\n", "line fifty\n").Replace("line 51\n", "");
        string many = string.Join('\n', Enumerable.Range(1, 200).Select(i => $"other {i}"));

        string diff = TextDiff.Unified(a, b, "a", "b")!;
        string cut = TextDiff.Unified(a, many, "a", "b")!;

        Assert.Equal("--- a\n+++ b\n@@ -47,8 +47,7 @@\n line 47\n line 48\n line 49\n-line 50\n-line 51\n+line fifty\n line 52\n line 53\n line 54\n", diff);
        Assert.Contains("first difference at line 1", cut);
        Assert.True(cut.Split('\n').Length < 90);
    }

    [Fact]
    public void Importing_twice_gives_identical_bytes()
    {
        var tree = Releases.Tree("4.17.5");
        var pin = Releases.Catalog.Find("4.17.5");
        var first = AbiImporter.Import(tree, "4.17.5", pin.HeaderTreeSha256, [TargetArch.X86_32]);
        var second = AbiImporter.Import(tree, "4.17.5", pin.HeaderTreeSha256, [TargetArch.X86_32]);
        Assert.Equal(ModelJson.Write(first[0].Model), ModelJson.Write(second[0].Model));
    }

    [Fact]
    public void Model_json_round_trips()
    {
        string text = File.ReadAllText(ModelFile.PathOf(Releases.ModelsDir, "4.20.4", "arm32"));
        Assert.Equal(text, ModelJson.Write(ModelJson.Read(text, "arm32.abi.json")));
    }
}
