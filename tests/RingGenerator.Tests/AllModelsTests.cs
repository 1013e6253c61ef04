using Xunit;
using static XenGen.Tests.GeneratorHarness;

namespace XenGen.Tests;

/// <summary>Every committed model (each release and arch): all headers generate without a diagnostic and compile without a warning.</summary>
public class AllModelsTests
{
    public static TheoryData<string, string> Models()
    {
        var data = new TheoryData<string, string>();
        foreach (var dir in Directory.GetDirectories(Path.Combine(RepoRoot, "xen-public-headers")).Order(StringComparer.Ordinal))
        {
            foreach (var file in Directory.GetFiles(dir, "*.abi.json").Order(StringComparer.Ordinal))
            {
                data.Add(Path.GetFileName(dir), Path.GetFileName(file)[..^".abi.json".Length]);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void EveryHeaderGeneratesAndCompilesCleanly(string release, string arch)
    {
        var model = ModelFile(Path.Combine("xen-public-headers", release, arch + ".abi.json"));
        var (output, diagnostics, run) = Run([model], Settings(release, arch, "*", "Xen.Interface"));
        Assert.Empty(Problems(diagnostics).Select(d => d.ToString()));
        Assert.True(run.GeneratedTrees.Length > 50, $"only {run.GeneratedTrees.Length} files");
        Assert.Empty(Problems(output.GetDiagnostics()).Select(d => d.ToString()));
    }
}
