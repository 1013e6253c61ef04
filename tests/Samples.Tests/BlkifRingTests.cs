using System.Text.Json;

namespace XenGen.Samples.Tests;

/// <summary>
/// samples/BlkifRing: the generator package alone, io/blkif.h generated internal, a ring round trip; the release and
/// arch of the model chosen by property alone, from the models the package carries.
/// </summary>
[Collection(SamplesCollection.Name)]
public sealed class BlkifRingTests(SampleBuild samples)
{
    [Fact]
    public void TheGeneratorPackageGivesAnInternalBlkifRingThatRoundTrips()
    {
        string output = samples.Build("BlkifRing");
        var run = SampleBuild.Run("dotnet", [Path.Combine(output, "BlkifRing.dll")], TimeSpan.FromSeconds(60));
        Assert.True(run.ExitCode == 0, run.Stdout + run.Stderr);
        Assert.Contains("96 of 96 requests answered in order; BlkifRequest is internal, 112 bytes", run.Stdout);
        Assert.Equal(3, run.Stdout.Split('\n').Count(l => l.EndsWith("notify back True, notify front True", StringComparison.Ordinal)));
        Assert.False(File.Exists(Path.Combine(output, "Xen.Abi.dll")), "the sample must not bring in the Xen.Abi assembly");
    }

    [Theory]
    [InlineData("4.20.4", "x86_32")]
    [InlineData("4.17.7", "arm32")]
    public void APropertyPicksAnotherModelOfThePackage(string release, string arch)
    {
        string output = samples.Build("BlkifRing", $"-p:XenAbiRelease={release}", $"-p:XenAbiArch={arch}");
        var run = SampleBuild.Run("dotnet", [Path.Combine(output, "BlkifRing.dll")], TimeSpan.FromSeconds(60));
        Assert.True(run.ExitCode == 0, run.Stdout + run.Stderr);
        using var model = JsonDocument.Parse(File.ReadAllText(Path.Combine(samples.Root, "xen-public-headers", release, arch + ".abi.json")));
        Assert.Contains($"BlkifRequest is internal, {RecordSize(model, "blkif_request")} bytes", run.Stdout);
        Assert.Contains($"struct blkif_sring is {RecordSize(model, "blkif_sring")} bytes", run.Stdout);
    }

    [Fact]
    public void AReleaseThePackageDoesNotCarryIsAClearBuildError()
    {
        var build = samples.TryBuild("BlkifRing", "-p:XenAbiRelease=9.9.9");
        Assert.NotEqual(0, build.ExitCode);
        Assert.Contains("no ABI model for XenAbiRelease='9.9.9' XenAbiArch='x86_64'", build.Stdout);
        Assert.Contains("4.17.5/x86_64", build.Stdout);
    }

    private static long RecordSize(JsonDocument model, string tag) =>
        model.RootElement.GetProperty("records").EnumerateArray()
            .Single(r => r.TryGetProperty("tag", out var t) && t.GetString() == tag && r.GetProperty("kind").GetString() == "struct")
            .GetProperty("size").GetInt64();
}
