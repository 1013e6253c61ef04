namespace XenGen.Samples.Tests;

/// <summary>samples/BlkifRing: the generator package alone, io/blkif.h generated internal, a ring round trip.</summary>
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
}
