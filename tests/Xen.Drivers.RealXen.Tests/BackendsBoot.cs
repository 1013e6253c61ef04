namespace Xen.Drivers.RealXen.Tests;

/// <summary>
/// The one boot of <see cref="BackendsOnRealXenTests"/>: xenbackendd published NativeAOT, then <c>realxen run</c>
/// with Scripts/backends-dom0.sh, whose guest runs Scripts/backends-guest.sh. Its output is what the tests read.
/// </summary>
public sealed class BackendsBoot : IDisposable
{
    // The emulator is slow, and slower on a shared machine: bounds are generous and nothing asserts on time.
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(75);
    private readonly string work = Directory.CreateTempSubdirectory("xenbackendd-realxen-").FullName;

    private readonly Lazy<(int Exit, string Output)> run;

    // The boot starts at the first test that reads it, so a class whose tests are all skipped boots nothing.
    public BackendsBoot() => run = new Lazy<(int, string)>(Boot);

    private (int, string) Boot()
    {
        var repo = RealXenRun.RepositoryRoot();
        var realxen = RealXenRun.RealXenDll(repo);
        if (!File.Exists(realxen)) throw new InvalidOperationException($"{realxen}: build tools/realxen first");
        var daemon = RealXenRun.PublishBackendDaemon(repo, Path.Combine(work, "xenbackendd"));
        return RealXenRun.Run("dotnet", [realxen, "run", "--timeout", "4200", "--",
            "sh", RealXenRun.Script("backends-dom0.sh"), daemon, RealXenRun.Script("backends-guest.sh")], Limit);
    }

    /// <summary>realxen's exit status (the dom0 script's).</summary>
    public int Exit => run.Value.Exit;

    /// <summary>Everything realxen printed: the dom0 script's and the guest's lines, then realxen's progress.</summary>
    public string Output => run.Value.Output;

    /// <summary>The lines after <c>== NAME</c> up to the next <c>== </c> line.</summary>
    public string Section(string name)
    {
        var lines = Output.ReplaceLineEndings("\n").Split('\n');
        var start = Array.FindIndex(lines, l => l.TrimEnd() == "== " + name);
        Assert.True(start >= 0, $"no section '{name}' in:\n{Output}");
        return string.Join('\n', lines.Skip(start + 1).TakeWhile(l => !l.StartsWith("== ", StringComparison.Ordinal)));
    }

    public void Dispose() => Directory.Delete(work, recursive: true);
}
