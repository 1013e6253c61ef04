using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;
using Xunit;
using XenGen.RingGenerator;
using static XenGen.Tests.GeneratorHarness;

namespace XenGen.Tests;

/// <summary>The pipeline's caching, read from the driver's tracked steps.</summary>
public class IncrementalityTests
{
    private static readonly (string Path, string Text) Model = ModelFile("Models/test/x86_64.abi.json");

    [Fact]
    public void EditingAnUnrelatedSourceFileDoesNotReEmit()
    {
        var compilation = Compilation(sources: "namespace App; public class Widget { }");
        var driver = Driver([Model], Settings("test", "x86_64"), trackSteps: true).RunGenerators(compilation);
        var tree = compilation.SyntaxTrees.Single();
        var edited = compilation.ReplaceSyntaxTree(tree, tree.WithChangedText(SourceText.From("namespace App; public class Widget { public int Size; }")));

        var result = driver.RunGenerators(edited).GetRunResult().Results.Single();

        Assert.Equal(5, result.GeneratedSources.Length);
        AssertReasons(result, AbiGenerator.ParseStep, IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged);
        AssertReasons(result, AbiGenerator.FileStep, IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged);
        var emitted = result.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs).ToList();
        Assert.NotEmpty(emitted);
        Assert.All(emitted, o => Assert.True(o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"an output ran: {o.Reason}"));
    }

    [Fact]
    public void EditingOneHeadersPartOfTheModelReEmitsOnlyThatHeader()
    {
        var compilation = Compilation(sources: "namespace App; public class Widget { }");
        var original = new InMemoryText(Model.Path, Model.Text);
        var driver = Driver([original], Settings("test", "x86_64"), trackSteps: true).RunGenerators(compilation);
        // A new doc comment on a record of io/xs_wire.h only.
        string changed = Model.Text.Replace("\"id\": \"xsd_sockmsg\",", "\"id\": \"xsd_sockmsg\", \"doc\": \"The header of every XenStore message.\",");
        Assert.NotEqual(Model.Text, changed);
        driver = driver.ReplaceAdditionalText(original, new InMemoryText(Model.Path, changed)).RunGenerators(compilation);

        var result = driver.GetRunResult().Results.Single();
        AssertReasons(result, AbiGenerator.ParseStep, IncrementalStepRunReason.Modified);
        var files = result.TrackedSteps[AbiGenerator.FileStep].SelectMany(s => s.Outputs).Select(o => (((FileSpec)o.Value).Header, o.Reason)).ToList();
        Assert.Contains(("io/xs_wire.h", IncrementalStepRunReason.Modified), files);
        Assert.Contains(("io/demo.h", IncrementalStepRunReason.Unchanged), files);
        Assert.Contains(("event_channel.h", IncrementalStepRunReason.Unchanged), files);
        Assert.Contains("The header of every XenStore message.", result.GeneratedSources.Single(s => s.HintName == "io.xs_wire.g.cs").SourceText.ToString());
    }

    [Fact]
    public void ChangingTheNamespaceReEmits()
    {
        var compilation = Compilation(sources: "namespace App; public class Widget { }");
        var settings = Settings("test", "x86_64");
        var driver = Driver([Model], settings, trackSteps: true).RunGenerators(compilation);
        settings["XenAbiNamespace"] = "Other.Root";
        driver = driver.WithUpdatedAnalyzerConfigOptions(new GeneratorHarness.Options(settings)).RunGenerators(compilation);
        var result = driver.GetRunResult().Results.Single();
        AssertReasons(result, AbiGenerator.ParseStep, IncrementalStepRunReason.Modified);
        Assert.All(result.GeneratedSources.Where(s => s.HintName != "XenGen.AbiText.g.cs"), s => Assert.Contains("namespace Other.Root", s.SourceText.ToString()));
    }

    private static void AssertReasons(GeneratorRunResult result, string step, params IncrementalStepRunReason[] allowed)
    {
        var outputs = result.TrackedSteps[step].SelectMany(s => s.Outputs).ToList();
        Assert.NotEmpty(outputs);
        Assert.All(outputs, o => Assert.Contains(o.Reason, allowed));
    }
}
