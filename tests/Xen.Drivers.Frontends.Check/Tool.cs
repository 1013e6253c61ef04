using System.Diagnostics;

namespace Xen.Drivers.Frontends.Check;

/// <summary>Runs a peer program (nbdcopy, iperf3, ping, mkfs.ext4, e2fsck, ip) with a bounded wait.</summary>
internal static class Tool
{
    /// <summary>Runs <paramref name="file"/>; a run past <paramref name="timeout"/> is killed and reported as exit -1.</summary>
    public static async Task<(int Exit, string Output)> RunAsync(string file, IEnumerable<string> arguments, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{file} did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            return (-1, $"{file} killed after {timeout.TotalSeconds:0} s\n{await stdout}{await stderr}");
        }
        return (process.ExitCode, await stdout + await stderr);
    }

    /// <summary>Runs <paramref name="file"/> and throws, with its output, unless it exits 0.</summary>
    public static async Task<string> CheckAsync(string file, IEnumerable<string> arguments, TimeSpan timeout)
    {
        var args = arguments.ToArray();
        var (exit, output) = await RunAsync(file, args, timeout);
        if (exit != 0) throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited {exit}: {output.Trim()}");
        return output;
    }
}
