using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Xen.XenStore.Tests.Support;

/// <summary>Runs a real peer (a Debian client, Xen's test suite, our xenstored) and makes sure it is gone afterwards.</summary>
internal static partial class ExternalProcess
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    public static Result Run(string socketPath, string file, params string[] args) => Run(socketPath, TimeSpan.FromSeconds(30), null, file, args);

    public static Result Run(string socketPath, TimeSpan timeout, string? stdin, string file, params string[] args)
    {
        using var process = Start(socketPath, file, args, redirectStdin: stdin is not null);
        try
        {
            if (stdin is not null)
            {
                process.StandardInput.Write(stdin);
                process.StandardInput.Close();
            }
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(timeout)) throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish in {timeout}");
            process.WaitForExit();
            return new Result(process.ExitCode, stdout.Result, stderr.Result);
        }
        finally
        {
            KillIfRunning(process);
        }
    }

    public static Process Start(string socketPath, string file, IEnumerable<string> args, bool redirectStdin = false)
    {
        var info = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = redirectStdin,
            UseShellExecute = false,
        };
        foreach (var arg in args) info.ArgumentList.Add(arg);
        info.Environment["XENSTORED_PATH"] = socketPath;
        return Process.Start(info) ?? throw new InvalidOperationException($"cannot start {file}");
    }

    public static void KillIfRunning(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
        }
    }

    public static void Terminate(Process process) => Assert.Equal(0, Kill(process.Id, 15));

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
