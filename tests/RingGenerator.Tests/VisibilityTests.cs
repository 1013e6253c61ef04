using Microsoft.CodeAnalysis;
using Xunit;
using static XenGen.Tests.GeneratorHarness;

namespace XenGen.Tests;

/// <summary>XenAbiVisibility: every generated type is public by default or internal when asked, and still compiles.</summary>
public class VisibilityTests
{
    private static readonly (string, string) X64 = ModelFile("Models/test/x86_64.abi.json");

    [Theory]
    [InlineData(null, Accessibility.Public)]
    [InlineData("public", Accessibility.Public)]
    [InlineData("internal", Accessibility.Internal)]
    [InlineData("Internal", Accessibility.Internal)]
    public void EveryGeneratedTypeHasTheVisibilityAsked(string? setting, Accessibility expected)
    {
        var settings = Settings("test", "x86_64");
        if (setting != null) settings["XenAbiVisibility"] = setting;
        var (output, diagnostics, run) = Run([X64], settings);
        Assert.Empty(Problems(diagnostics));
        Assert.Empty(Problems(output.GetDiagnostics()));
        var types = TopLevelTypes(output, run).ToList();
        Assert.Contains(types, t => t.Name == "DemoFront");
        Assert.Contains(types, t => t.Name == "XsdSockmsgType");
        Assert.Contains(types, t => t.Name == "XsWire");
        Assert.All(types, t => Assert.True(t.DeclaredAccessibility == expected, $"{t} is {t.DeclaredAccessibility}"));
    }

    [Fact]
    public void AnInvalidVisibilityIsReported()
    {
        var settings = Settings("test", "x86_64");
        settings["XenAbiVisibility"] = "protected";
        var (_, diagnostics, run) = Run([X64], settings);
        var d = Assert.Single(Problems(diagnostics));
        Assert.Equal("XENGEN013", d.Id);
        Assert.Equal(DiagnosticSeverity.Error, d.Severity);
        Assert.Contains("'protected'", d.GetMessage());
        Assert.Single(run.GeneratedTrees);
    }

    /// <summary>The types declared at namespace level in the sources generated from the model.</summary>
    private static IEnumerable<INamedTypeSymbol> TopLevelTypes(Compilation output, GeneratorDriverRunResult run)
    {
        foreach (var tree in run.GeneratedTrees.Where(t => !t.FilePath.EndsWith("XenGen.AbiText.g.cs", StringComparison.Ordinal)))
        {
            var model = output.GetSemanticModel(tree);
            foreach (var node in tree.GetRoot().DescendantNodes().OfType<Microsoft.CodeAnalysis.CSharp.Syntax.BaseTypeDeclarationSyntax>())
            {
                if (node.Parent is Microsoft.CodeAnalysis.CSharp.Syntax.BaseNamespaceDeclarationSyntax or Microsoft.CodeAnalysis.CSharp.Syntax.CompilationUnitSyntax)
                {
                    yield return (INamedTypeSymbol)model.GetDeclaredSymbol(node)!;
                }
            }
        }
    }
}
