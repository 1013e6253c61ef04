using Xen.Abi.Model;
using XenGen.HeaderImporter.Tests.Support;

namespace XenGen.HeaderImporter.Tests.Proof;

/// <summary>Same headers, same bytes: a fresh import equals the committed model file, byte for byte.</summary>
public sealed class DeterminismTests
{
    public static TheoryData<string, string> AllReleasesAndArches() => Releases.All();

    [Theory]
    [MemberData(nameof(AllReleasesAndArches))]
    public void Committed_model_is_what_the_importer_writes_today(string release, string arch)
    {
        string committed = File.ReadAllText(ModelFile.PathOf(Releases.ModelsDir, release, arch));
        string fresh = ModelJson.Write(Releases.Import(release, arch).Model);
        Assert.True(committed == fresh, $"{release}/{arch}.abi.json is stale or the import is not deterministic: run `xengen import --release {release}`");
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
