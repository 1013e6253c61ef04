using System.Diagnostics;

namespace Xen.Drivers.Net.Tests;

/// <summary>Runs the host's programs (ip, ping, iperf3, clang) with a time limit; the output and exit code come back.</summary>
public static class HostTools
{
    public static async Task<(int Code, string Output)> RunAsync(string program, IEnumerable<string> args, int seconds = 60)
    {
        var start = new ProcessStartInfo(program, args) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(seconds));
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', args)}: no exit in {seconds} s");
        }
        return (process.ExitCode, await stdout + await stderr);
    }

    /// <summary>Runs and requires exit status 0.</summary>
    public static async Task<string> MustAsync(string program, params string[] args)
    {
        var (code, output) = await RunAsync(program, args);
        Assert.True(code == 0, $"{program} {string.Join(' ', args)} exited {code}:\n{output}");
        return output;
    }

    /// <summary>The path of a tool's Release build next to this test's.</summary>
    public static string Tool(string name) =>
        Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", "tools", name, "bin", "Release", "net10.0", name + ".dll"));
}
