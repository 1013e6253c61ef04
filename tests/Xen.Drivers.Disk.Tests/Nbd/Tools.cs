using System.Diagnostics;

namespace Xen.Drivers.Disk.Tests.Nbd;

/// <summary>Runs a real peer (qemu-io, nbdcopy, nbdinfo, mkfs.ext4, e2fsck, ...) and returns its output.</summary>
internal static class Tools
{
    public static async Task<(int Exit, string Output)> RunAsync(string program, IEnumerable<string> arguments, int timeoutSeconds = 300, string? stdin = null)
    {
        var start = new ProcessStartInfo(program, arguments) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = stdin is not null };
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start");
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
            process.StandardInput.Close();
        }
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(timeoutSeconds));
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', arguments)} ran past {timeoutSeconds} s");
        }
        return (process.ExitCode, await stdout + await stderr);
    }

    public static async Task<string> CheckAsync(string program, IEnumerable<string> arguments, int timeoutSeconds = 300, string? stdin = null)
    {
        var (exit, output) = await RunAsync(program, arguments, timeoutSeconds, stdin);
        Assert.True(exit == 0, $"{program} {string.Join(' ', arguments)} exited {exit}:\n{output}");
        return output;
    }
}
