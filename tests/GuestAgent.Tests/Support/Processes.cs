using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Xen.GuestAgent.Tests.Support;

/// <summary>Runs the real peers (ip, Debian's xenstore tools, clang) and our own binaries as processes.</summary>
internal static partial class Processes
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr)
    {
        public string Describe(string what) => $"{what} exited {ExitCode}: {Stderr.Trim()}";
    }

    public static Result Run(string file, IEnumerable<string> args, IDictionary<string, string>? environment = null, string? stdin = null, int timeoutSeconds = 60)
    {
        using var process = Start(file, args, environment, stdin is not null);
        try
        {
            if (stdin is not null)
            {
                process.StandardInput.Write(stdin);
                process.StandardInput.Close();
            }
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromSeconds(timeoutSeconds))) throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish in {timeoutSeconds} s");
            process.WaitForExit();
            return new Result(process.ExitCode, stdout.Result, stderr.Result);
        }
        finally
        {
            Stop(process);
        }
    }

    public static Result Ok(string file, params string[] args)
    {
        var result = Run(file, args);
        Assert.True(result.ExitCode == 0, result.Describe($"{file} {string.Join(' ', args)}"));
        return result;
    }

    public static Process Start(string file, IEnumerable<string> args, IDictionary<string, string>? environment = null, bool redirectStdin = false)
    {
        var info = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = redirectStdin,
            UseShellExecute = false,
        };
        foreach (var arg in args) info.ArgumentList.Add(arg);
        if (environment is not null) foreach (var (key, value) in environment) info.Environment[key] = value;
        return Process.Start(info) ?? throw new InvalidOperationException($"cannot start {file}");
    }

    /// <summary>SIGTERM, a few seconds to go, then SIGKILL.</summary>
    public static void Stop(Process process)
    {
        try
        {
            if (process.HasExited) return;
            _ = Kill(process.Id, 15);
            if (!process.WaitForExit(5000))
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
        }
    }

    /// <summary>A built .NET program of the solution, copied beside the tests by its project reference.</summary>
    public static string Dll(string name) => Path.Combine(AppContext.BaseDirectory, name + ".dll");

    /// <summary>Polls <paramref name="condition"/> every 20 ms until it holds or <paramref name="seconds"/> pass.</summary>
    public static void Eventually(Func<bool> condition, string what, double seconds = 30)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(seconds), $"{what}: not within {seconds} s");
            Thread.Sleep(20);
        }
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
