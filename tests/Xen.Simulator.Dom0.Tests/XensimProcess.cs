using System.Diagnostics;

namespace Xen.Simulator.Dom0.Tests;

/// <summary>A running <c>xensim run</c> process and its output lines; killed when disposed if still running.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal sealed class XensimProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly List<string> output = new();
    private readonly List<string> errors = new();

    private XensimProcess(Process process) => this.process = process;

    /// <summary>The built tool <paramref name="name"/>'s dll in this worktree.</summary>
    public static string Tool(string name) =>
        Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", "tools", name, "bin", "Release", "net10.0", name + ".dll"));

    /// <summary>Starts <c>xensim run ARGS</c>.</summary>
    public static XensimProcess Run(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet", [Tool("xensim"), "run", .. arguments]) { RedirectStandardOutput = true, RedirectStandardError = true };
        var xensim = new XensimProcess(Process.Start(start)!);
        xensim.process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (xensim.output) xensim.output.Add(e.Data); };
        xensim.process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (xensim.errors) xensim.errors.Add(e.Data); };
        xensim.process.BeginOutputReadLine();
        xensim.process.BeginErrorReadLine();
        return xensim;
    }

    /// <summary>The standard output lines so far.</summary>
    public string[] Lines()
    {
        lock (output) return output.ToArray();
    }

    /// <summary>The standard error lines so far.</summary>
    public string[] Errors()
    {
        lock (errors) return errors.ToArray();
    }

    /// <summary>Waits (at most <paramref name="seconds"/>) until every line of <paramref name="expected"/> was printed.</summary>
    public async Task WaitForLinesAsync(int seconds, params string[] expected)
    {
        var clock = Stopwatch.StartNew();
        while (!expected.All(Lines().Contains))
        {
            if (process.HasExited || clock.Elapsed > TimeSpan.FromSeconds(seconds))
                Assert.Fail($"xensim did not print {string.Join(", ", expected.Where(e => !Lines().Contains(e)))} in {seconds} s{(process.HasExited ? " (it exited)" : "")}:\n{Transcript()}");
            await Task.Delay(50);
        }
    }

    /// <summary>Sends signal <paramref name="signal"/> and waits at most <paramref name="seconds"/> for the exit status.</summary>
    public async Task<int> StopAsync(int signal, int seconds = 60)
    {
        process.Kill(signal);
        try { await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(seconds)); }
        catch (TimeoutException) { Assert.Fail($"xensim did not exit in {seconds} s after signal {signal}:\n{Transcript()}"); }
        process.WaitForExit(); // the output's end
        return process.ExitCode;
    }

    /// <summary>Waits at most <paramref name="seconds"/> for the process to exit by itself.</summary>
    public async Task<int> WaitForExitAsync(int seconds)
    {
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(seconds));
        process.WaitForExit();
        return process.ExitCode;
    }

    /// <summary>Everything printed, for failure messages.</summary>
    public string Transcript() => string.Join('\n', Lines()) + "\n--- stderr\n" + string.Join('\n', Errors());

    public ValueTask DisposeAsync()
    {
        if (!process.HasExited) process.Kill();
        process.Dispose();
        return ValueTask.CompletedTask;
    }
}
