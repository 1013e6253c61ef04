using System.Collections.Concurrent;
using ApprovalTests;
using ApprovalTests.Core;
using ApprovalTests.Reporters;
using ApprovalTests.Writers;
using Microsoft.CodeAnalysis;
using Xunit;
using static XenGen.Tests.GeneratorHarness;

namespace XenGen.Tests.Snapshots;

/// <summary>
/// The generated source of every header, approved file by file. The default release and arch come from
/// xen-public-headers/releases.json; the small hand-written test models ride along. Re-approve all with
/// <c>XENGEN_APPROVE=1 dotnet test tests/snapshots</c>.
/// </summary>
public class SnapshotTests
{
    private static readonly bool Approving = Environment.GetEnvironmentVariable("XENGEN_APPROVE") == "1";
    private static readonly ConcurrentDictionary<string, (Compilation Output, IReadOnlyList<Diagnostic> Diagnostics, Dictionary<string, string> Files)> Runs = new();

    /// <summary>Models to snapshot: key, the file, and where its approved files live.</summary>
    private static IEnumerable<(string Key, string Release, string Arch, string ModelPath)> Models()
    {
        yield return ("test/x86_64", "test", "x86_64", "Models/test/x86_64.abi.json");
        var defaults = DefaultReleaseAndArch();
        string real = Path.Combine("xen-public-headers", defaults.Release, defaults.Arch + ".abi.json");
        if (File.Exists(Path.Combine(RepoRoot, real))) yield return (defaults.Release + "/" + defaults.Arch, defaults.Release, defaults.Arch, real);
    }

    private static (string Release, string Arch) DefaultReleaseAndArch()
    {
        string json = File.ReadAllText(Path.Combine(RepoRoot, "xen-public-headers", "releases.json"));
        var m = System.Text.RegularExpressions.Regex.Match(json, "\"defaultRelease\"\\s*:\\s*\"([^\"]+)\"");
        return (m.Groups[1].Value, "x86_64");
    }

    public static TheoryData<string, string> Files()
    {
        var data = new TheoryData<string, string>();
        foreach (var model in Models())
        {
            foreach (var hint in Generate(model.Key).Files.Keys.Order(StringComparer.Ordinal)) data.Add(model.Key, hint);
        }
        return data;
    }

    public static TheoryData<string> ModelKeys()
    {
        var data = new TheoryData<string>();
        foreach (var model in Models()) data.Add(model.Key);
        return data;
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void GeneratedSourceIsApproved(string model, string hint)
    {
        string text = Generate(model).Files[hint];
        var namer = new SnapshotNamer(Path.Combine(RepoRoot, "tests", "snapshots", model), hint[..^".g.cs".Length]);
        if (Approving) File.WriteAllText(Path.Combine(namer.SourcePath, namer.Name + ".approved.cs"), text);
        Approvals.Verify(new ApprovalTextWriter(text, "cs"), namer, UnifiedDiffReporter.Instance);
    }

    [Fact]
    public void AChangedSnapshotFailsWithAUnifiedDiff()
    {
        var dir = Directory.CreateTempSubdirectory("snapshot-diff-");
        try
        {
            var (key, hint) = (Models().First().Key, "io.demo.g.cs");
            string text = Generate(key).Files.TryGetValue(hint, out var demo) ? demo : Generate(key).Files.First().Value;
            var namer = new SnapshotNamer(dir.FullName, "mutated");
            File.WriteAllText(Path.Combine(dir.FullName, "mutated.approved.cs"), text.Replace("FieldOffset(", "FieldOffset(1 + ", StringComparison.Ordinal));
            var failure = Assert.ThrowsAny<Exception>(() => Approvals.Verify(new ApprovalTextWriter(text, "cs"), namer, UnifiedDiffReporter.Instance));
            Assert.Contains("--- mutated.approved.cs", failure.Message);
            Assert.Contains("+++ mutated.received.cs", failure.Message);
            Assert.Contains("\n-", failure.Message);
            Assert.Contains("FieldOffset(1 + ", failure.Message);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Theory]
    [MemberData(nameof(ModelKeys))]
    public void GeneratedSourceCompilesWithoutWarnings(string model)
    {
        var run = Generate(model);
        Assert.Empty(Problems(run.Diagnostics).Select(d => d.ToString()));
        Assert.Empty(Problems(run.Output.GetDiagnostics()).Select(d => d.ToString()));
        Assert.NotEmpty(run.Files);
    }

    [Theory]
    [MemberData(nameof(ModelKeys))]
    public void EveryApprovedFileIsStillGenerated(string model)
    {
        string dir = Path.Combine(RepoRoot, "tests", "snapshots", model);
        var expected = Generate(model).Files.Keys.Select(h => h[..^".g.cs".Length] + ".approved.cs").ToHashSet();
        foreach (var stale in Directory.GetFiles(dir, "*.approved.cs").Where(f => !expected.Contains(Path.GetFileName(f))))
        {
            if (Approving) File.Delete(stale);
            else Assert.Fail($"{stale} is approved but no longer generated; re-approve to remove it");
        }
    }

    private static (Compilation Output, IReadOnlyList<Diagnostic> Diagnostics, Dictionary<string, string> Files) Generate(string key) =>
        Runs.GetOrAdd(key, k =>
        {
            var model = Models().Single(m => m.Key == k);
            var (output, diagnostics, run) = Run([ModelFile(model.ModelPath)], Settings(model.Release, model.Arch, "*", "Xen.Interface"));
            Directory.CreateDirectory(Path.Combine(RepoRoot, "tests", "snapshots", k));
            return (output, diagnostics, run.GeneratedTrees.ToDictionary(t => Path.GetFileName(t.FilePath), t => t.GetText().ToString()));
        });

    private sealed class SnapshotNamer(string sourcePath, string name) : IApprovalNamer
    {
        public string SourcePath => sourcePath;

        public string Name => name;
    }
}
