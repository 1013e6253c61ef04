using Microsoft.CodeAnalysis;
using Xunit;
using static XenGen.Tests.GeneratorHarness;

namespace XenGen.Tests;

/// <summary>The generator on the hand-written models: clean output, and a diagnostic with an id for each kind of bad input.</summary>
public class GeneratorTests
{
    private static readonly (string, string) X64 = ModelFile("Models/test/x86_64.abi.json");
    private static readonly (string, string) X32 = ModelFile("Models/test/x86_32.abi.json");

    [Theory]
    [InlineData("x86_64")]
    [InlineData("x86_32")]
    public void GeneratedCodeCompilesWithoutWarnings(string arch)
    {
        var (output, diagnostics, run) = Run([X64, X32], Settings("test", arch));
        Assert.Empty(Problems(diagnostics));
        Assert.Empty(Problems(output.GetDiagnostics()));
        Assert.Equal(["XenGen.AbiText.g.cs", "event_channel.g.cs", "io.demo.g.cs", "io.ring.g.cs", "io.xs_wire.g.cs"], run.GeneratedTrees.Select(t => Path.GetFileName(t.FilePath)).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void SelectingOneHeaderEmitsItAndTheTypesItUses()
    {
        var (output, diagnostics, run) = Run([X64], Settings("test", "x86_64", "event_channel.h"));
        Assert.Empty(Problems(diagnostics));
        Assert.Empty(Problems(output.GetDiagnostics()));
        Assert.Equal(["XenGen.AbiText.g.cs", "event_channel.g.cs"], run.GeneratedTrees.Select(t => Path.GetFileName(t.FilePath)).Order(StringComparer.Ordinal));
        Assert.NotNull(output.GetTypeByMetadataName("Gen.Xen.EvtchnOp+UUnion"));
        Assert.Null(output.GetTypeByMetadataName("Gen.Xen.Io.XsdSockmsg"));
    }

    [Theory]
    [InlineData("io/nope.h", "XENGEN001")]
    [InlineData("arch-arm.h", "XENGEN009")]
    public void BadHeaderNamesAreReported(string header, string id)
    {
        var (_, diagnostics, run) = Run([X64], Settings("test", "x86_64", "io/xs_wire.h;" + header));
        var d = Assert.Single(Problems(diagnostics));
        Assert.Equal(id, d.Id);
        Assert.Contains(header, d.GetMessage());
        Assert.Contains(run.GeneratedTrees, t => t.FilePath.EndsWith("io.xs_wire.g.cs"));
        Assert.Equal(2, run.GeneratedTrees.Length);
    }

    [Fact]
    public void ArchWithoutModelIsReported() =>
        AssertOnly(Run([X64], Settings("test", "arm64")).Diagnostics, "XENGEN002", "arm64");

    [Fact]
    public void ReleaseWithoutModelIsReported() =>
        AssertOnly(Run([X64], Settings("9.9.9", "x86_64")).Diagnostics, "XENGEN005", "9.9.9");

    [Theory]
    [InlineData("{ not json")]
    [InlineData("{\"schemaVersion\": 1}")]
    [InlineData("{\"schemaVersion\": 7}")]
    [InlineData("[]")]
    public void MalformedModelIsReported(string text) =>
        AssertOnly(Run([("m/test/x86_64.abi.json", text)], Settings("test", "x86_64")).Diagnostics, "XENGEN003", "x86_64.abi.json");

    [Fact]
    public void ModelWhoseContentDisagreesWithItsPathIsReported() =>
        AssertOnly(Run([("m/test/x86_64.abi.json", X32.Item2)], Settings("test", "x86_64")).Diagnostics, "XENGEN003", "x86_32");

    [Fact]
    public void MissingSettingsAreNamed()
    {
        var settings = Settings("test", "x86_64");
        settings.Remove("XenAbiHeaders");
        settings.Remove("XenAbiNamespace");
        var d = AssertOnly(Run([X64], settings).Diagnostics, "XENGEN004", "XenAbiHeaders");
        Assert.Contains("XenAbiNamespace", d.GetMessage());
    }

    [Fact]
    public void UnsafeCodeIsRequired() =>
        AssertOnly(Run([X64], Settings("test", "x86_64"), Compilation(allowUnsafe: false)).Diagnostics, "XENGEN007", "AllowUnsafeBlocks");

    [Fact]
    public void RingsNeedTheRuntime()
    {
        var (output, diagnostics, _) = Run([X64], Settings("test", "x86_64"), Compilation(referenceRings: false));
        AssertOnly(diagnostics, "XENGEN008", "Xen.Rings");
        Assert.Null(output.GetTypeByMetadataName("Gen.Xen.Io.DemoFront"));
        Assert.NotNull(output.GetTypeByMetadataName("Gen.Xen.Io.DemoSring"));
    }

    private static Diagnostic AssertOnly(IEnumerable<Diagnostic> diagnostics, string id, string mentioned)
    {
        var d = Assert.Single(Problems(diagnostics));
        Assert.Equal(id, d.Id);
        Assert.Contains(mentioned, d.GetMessage());
        Assert.DoesNotContain("   at ", d.GetMessage());
        return d;
    }
}
