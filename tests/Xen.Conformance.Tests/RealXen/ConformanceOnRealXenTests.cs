using System.Diagnostics;
using Xen.Conformance.Tests.Simulator;
using Xunit.Abstractions;

namespace Xen.Conformance.Tests.RealXen;

/// <summary>
/// The simulator held to real Xen 4.17 (tools/realxen): in one <c>realxen run</c> boot, <c>xen-conformance dom0</c>
/// runs dom0's cases through privcmd, boots one guest running <c>xen-conformance guest</c>, and both run the
/// cross-domain cases (dom0 reading the guest's shared_info too); their answers are compared with the simulator's for the same cases, allowing exactly the
/// differences simulator/README.md lists.
/// </summary>
[Trait("Category", "RealXen")]
public sealed class ConformanceOnRealXenTests(ITestOutputHelper output) : IDisposable
{
    private readonly string work = Directory.CreateTempSubdirectory("xen-conformance-").FullName;

    [Fact]
    public async Task The_simulator_answers_every_case_as_real_Xen_does_but_the_listed_differences()
    {
        string repo = SimulatorReadme.RepositoryRoot();
        var allowed = SimulatorReadme.AllowedDifferences();
        string program = Publish(repo);
        string realxen = Path.Combine(repo, "tools", "realxen", "bin", "Release", "net10.0", "realxen.dll");
        Assert.True(File.Exists(realxen), $"{realxen}: build tools/realxen first");

        var (exit, text) = Run("dotnet", [realxen, "run", "--timeout", "2700", "--",
            $"{program} dom0 --guest-modules $REALXEN_MODULES/kernel/drivers/xen"], TimeSpan.FromMinutes(47));
        output.WriteLine(text);
        Assert.True(exit == 0, $"realxen run exited {exit}");
        var xen = CaseAnswer.ParseAll(text);
        Assert.Contains(xen, a => a.Side == "guest");

        var simulator = await SimulatorRun.RunAsync();
        var result = ConformanceComparer.Compare(xen, simulator, allowed);
        output.WriteLine(result.ToString());
        Assert.True(result.Conformant, result.ToString());
    }

    /// <summary>The guest's busybox initramfs has no .NET: the suite goes in as one NativeAOT executable.</summary>
    private string Publish(string repo)
    {
        string project = Path.Combine(repo, "tests", "Xen.Conformance.Linux", "Xen.Conformance.Linux.csproj");
        var (exit, text) = Run("dotnet", ["publish", project, "-c", "Release", "-r", "linux-x64", "-o", work, "-nologo", "-v", "quiet"], TimeSpan.FromMinutes(20));
        Assert.True(exit == 0, text);
        return Path.Combine(work, "xen-conformance");
    }

    private static (int Exit, string Output) Run(string file, string[] args, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }
        return (process.HasExited ? process.ExitCode : -1, stdout.Result + stderr.Result);
    }

    public void Dispose() => Directory.Delete(work, recursive: true);
}
