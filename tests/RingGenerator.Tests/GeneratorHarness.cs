using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using XenGen.RingGenerator;

namespace XenGen.Tests;

/// <summary>Runs the generator in-process with CSharpGeneratorDriver, the way the compiler would.</summary>
public static class GeneratorHarness
{
    /// <summary>The repository root (the folder holding XenGen.sln).</summary>
    public static string RepoRoot { get; } = FindRoot();

    private static readonly Lazy<ImmutableArray<MetadataReference>> FrameworkReferences = new(() =>
        ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(p => Path.GetFileName(p).StartsWith("System.", StringComparison.Ordinal) || Path.GetFileName(p) is "mscorlib.dll" or "netstandard.dll")
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p)).ToImmutableArray());

    private static readonly MetadataReference RingsReference = MetadataReference.CreateFromFile(typeof(Xen.Rings.ByteRing).Assembly.Location);

    /// <summary>The settings every test starts from.</summary>
    public static Dictionary<string, string> Settings(string release, string arch, string headers = "*", string ns = "Gen.Xen") => new()
    {
        ["XenAbiRelease"] = release,
        ["XenAbiArch"] = arch,
        ["XenAbiHeaders"] = headers,
        ["XenAbiNamespace"] = ns,
    };

    /// <summary>A compilation of <paramref name="sources"/> as the consumer would have it.</summary>
    public static CSharpCompilation Compilation(bool allowUnsafe = true, bool referenceRings = true, params string[] sources)
    {
        var parse = new CSharpParseOptions(LanguageVersion.Latest, DocumentationMode.Diagnose);
        var refs = referenceRings ? FrameworkReferences.Value.Add(RingsReference) : FrameworkReferences.Value;
        return CSharpCompilation.Create("Consumer",
            sources.Select((s, i) => CSharpSyntaxTree.ParseText(s, parse, path: $"Source{i}.cs")),
            refs,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, allowUnsafe: allowUnsafe, nullableContextOptions: NullableContextOptions.Enable));
    }

    /// <summary>A driver over the given model files and settings.</summary>
    public static GeneratorDriver Driver(IEnumerable<(string Path, string Text)> models, IReadOnlyDictionary<string, string> settings, bool trackSteps = false) =>
        Driver(models.Select(m => (AdditionalText)new InMemoryText(m.Path, m.Text)), settings, trackSteps);

    /// <summary>A driver over the given additional files and settings.</summary>
    public static GeneratorDriver Driver(IEnumerable<AdditionalText> models, IReadOnlyDictionary<string, string> settings, bool trackSteps = false) =>
        CSharpGeneratorDriver.Create(
            new[] { new AbiGenerator().AsSourceGenerator() },
            models,
            new CSharpParseOptions(LanguageVersion.Latest, DocumentationMode.Diagnose),
            new Options(settings),
            new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: trackSteps));

    /// <summary>Runs the generator once and returns the output compilation and the generator's diagnostics.</summary>
    public static (Compilation Output, ImmutableArray<Diagnostic> Diagnostics, GeneratorDriverRunResult Run) Run(
        IEnumerable<(string Path, string Text)> models, IReadOnlyDictionary<string, string> settings, CSharpCompilation? compilation = null)
    {
        var driver = Driver(models, settings).RunGeneratorsAndUpdateCompilation(compilation ?? Compilation(), out var output, out var diagnostics);
        return (output, diagnostics, driver.GetRunResult());
    }

    /// <summary>A model file from the repository or from this project's Models folder.</summary>
    public static (string Path, string Text) ModelFile(string relativePath)
    {
        string path = Path.Combine(AppContext.BaseDirectory, relativePath);
        if (!File.Exists(path)) path = Path.Combine(RepoRoot, relativePath);
        return (path, File.ReadAllText(path));
    }

    /// <summary>Diagnostics of warning severity or worse.</summary>
    public static List<Diagnostic> Problems(IEnumerable<Diagnostic> diagnostics) =>
        diagnostics.Where(d => d.Severity >= DiagnosticSeverity.Warning).ToList();

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "XenGen.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException("XenGen.sln not found above " + AppContext.BaseDirectory);
    }

    /// <summary>An additional file held in memory.</summary>
    public sealed class InMemoryText(string path, string text) : AdditionalText
    {
        private readonly SourceText _text = SourceText.From(text);

        public override string Path => path;

        public override SourceText GetText(CancellationToken cancellationToken = default) => _text;
    }

    /// <summary>MSBuild properties as the compiler passes them to generators.</summary>
    public sealed class Options(IReadOnlyDictionary<string, string> settings) : AnalyzerConfigOptionsProvider
    {
        private readonly Global _global = new(settings);

        public override AnalyzerConfigOptions GlobalOptions => _global;

        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => Global.Empty;

        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => Global.Empty;

        private sealed class Global(IReadOnlyDictionary<string, string> settings) : AnalyzerConfigOptions
        {
            public static readonly Global Empty = new(new Dictionary<string, string>());

            public override bool TryGetValue(string key, out string value)
            {
                const string prefix = "build_property.";
                if (key.StartsWith(prefix, StringComparison.Ordinal) && settings.TryGetValue(key[prefix.Length..], out var v))
                {
                    value = v;
                    return true;
                }
                value = "";
                return false;
            }
        }
    }
}
