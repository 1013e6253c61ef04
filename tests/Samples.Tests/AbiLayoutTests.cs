using System.Text.Json;
using System.Text.RegularExpressions;

namespace XenGen.Samples.Tests;

/// <summary>
/// samples/AbiLayout on the Xen.Abi package, built for each runtime identifier: it compiles against and runs with
/// the build of that arch, so its sizes and inlined constants are the committed model's for the arch (the model that
/// `xengen verify` proves with clang), not x86_64's.
/// </summary>
[Collection(SamplesCollection.Name)]
public sealed partial class AbiLayoutTests(SampleBuild samples)
{
    [Theory]
    [InlineData(null, "x86_64")]
    [InlineData("linux-x64", "x86_64")]
    [InlineData("linux-x86", "x86_32")]
    [InlineData("linux-arm64", "arm64")]
    [InlineData("linux-arm", "arm32")]
    public void EachRuntimeIdentifierGetsTheLayoutsOfItsArch(string? rid, string arch)
    {
        string output = samples.Build("AbiLayout", rid is null ? [] : ["-r", rid]);
        var run = SampleBuild.Run("dotnet", [Path.Combine(output, "AbiLayout.dll")], TimeSpan.FromSeconds(60));
        Assert.True(run.ExitCode == 0, run.Stderr);

        string release = DefaultRelease();
        using var model = JsonDocument.Parse(File.ReadAllText(Path.Combine(samples.Root, "xen-public-headers", release, arch + ".abi.json")));
        Assert.StartsWith($"Xen.Abi {release} {arch}\n", run.Stdout);
        var rows = Row().Matches(run.Stdout).ToDictionary(m => m.Groups[1].Value, m => long.Parse(m.Groups[2].Value));
        Assert.Equal(5, rows.Count);
        foreach (var (record, bytes) in rows) Assert.Equal(RecordSize(model, record), bytes);
        Assert.Contains($"XEN_IO_PROTO_ABI_NATIVE = {Constant(model, "XEN_IO_PROTO_ABI_NATIVE")}\n", run.Stdout);
        Assert.Contains($"EVTCHN_2L_NR_CHANNELS = {Constant(model, "EVTCHN_2L_NR_CHANNELS")}\n", run.Stdout);
    }

    [Fact]
    public void A32BitConsumerSeesThe32BitBlkifRequest()
    {
        string x86 = SampleBuild.Run("dotnet", [Path.Combine(samples.Build("AbiLayout", "-r", "linux-x86"), "AbiLayout.dll")], TimeSpan.FromSeconds(60)).Stdout;
        string x64 = SampleBuild.Run("dotnet", [Path.Combine(samples.Build("AbiLayout"), "AbiLayout.dll")], TimeSpan.FromSeconds(60)).Stdout;
        Assert.Contains("| struct blkif_request | 108 |", x86);
        Assert.Contains("| struct blkif_request | 112 |", x64);
    }

    private string DefaultRelease()
    {
        using var releases = JsonDocument.Parse(File.ReadAllText(Path.Combine(samples.Root, "xen-public-headers", "releases.json")));
        return releases.RootElement.GetProperty("defaultRelease").GetString()!;
    }

    private static long RecordSize(JsonDocument model, string cType)
    {
        string tag = cType["struct ".Length..];
        return model.RootElement.GetProperty("records").EnumerateArray()
            .Single(r => r.TryGetProperty("tag", out var t) && t.GetString() == tag && r.GetProperty("kind").GetString() == "struct")
            .GetProperty("size").GetInt64();
    }

    private static string Constant(JsonDocument model, string name) =>
        model.RootElement.GetProperty("constants").EnumerateArray().Single(c => c.GetProperty("name").GetString() == name).GetProperty("value").ToString();

    [GeneratedRegex(@"^\| (struct [a-z_]+) \| (\d+) \|$", RegexOptions.Multiline)]
    private static partial Regex Row();
}
