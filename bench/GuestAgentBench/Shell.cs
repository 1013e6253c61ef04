using System.Diagnostics;

namespace XenGen.Bench.GuestAgent;

/// <summary>Runs a command to completion and fails loudly, or starts one to keep.</summary>
internal static class Shell
{
    /// <summary>Runs to completion; the CPU time is what the process used (read from our reaped children's total).</summary>
    public static (string Stdout, TimeSpan Cpu) Run(string file, IEnumerable<string> args, string? stdin = null)
    {
        var childrenBefore = ProcessStats.ReapedChildrenCpu();
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = stdin is not null, UseShellExecute = false };
        foreach (string arg in args) info.ArgumentList.Add(arg);
        using var process = Process.Start(info)!;
        if (stdin is not null)
        {
            process.StandardInput.Write(stdin);
            process.StandardInput.Close();
        }
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(15))) throw new TimeoutException($"{file} did not finish");
        process.WaitForExit();
        var cpu = ProcessStats.ReapedChildrenCpu() - childrenBefore;
        if (process.ExitCode != 0) throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited {process.ExitCode}: {stderr.Result}");
        return (stdout.Result, cpu);
    }

    public static Process Start(string file, IEnumerable<string> args)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string arg in args) info.ArgumentList.Add(arg);
        var process = Process.Start(info)!;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    public static void Stop(Process process)
    {
        if (process.HasExited) return;
        process.Kill(entireProcessTree: true);
        process.WaitForExit(5000);
    }
}
