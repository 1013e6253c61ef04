using System.Diagnostics;

namespace Xen.Drivers.Net.Tests;

/// <summary>A running <c>xensim run --nic backend-tap=..,guest-tap=..</c>: the guest's xnf0 and dom0's vif on two TAP devices.</summary>
public sealed class XensimNetwork : IAsyncDisposable
{
    private readonly Process process;
    private readonly List<string> output = new();

    private XensimNetwork(Process process, string guestTap, string backendTap)
    {
        this.process = process;
        GuestTap = guestTap;
        BackendTap = backendTap;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.Add(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.Add("stderr: " + e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string GuestTap { get; }

    public string BackendTap { get; }

    public string[] Lines()
    {
        lock (output) return output.ToArray();
    }

    public static async Task<XensimNetwork> StartAsync(string tag, params string[] extra)
    {
        var guest = $"xtg{tag}";
        var backend = $"xtb{tag}";
        var args = new[] { HostTools.Tool("xensim"), "run", "--nic", $"backend-tap={backend},guest-tap={guest}", "--for", "300" }.Concat(extra);
        var sim = new XensimNetwork(Process.Start(new ProcessStartInfo("dotnet", args) { RedirectStandardOutput = true, RedirectStandardError = true })!, guest, backend);
        await sim.WaitForLineAsync("xnf0: connected", 60);
        return sim;
    }

    public async Task WaitForLineAsync(string text, int seconds)
    {
        var until = DateTime.UtcNow.AddSeconds(seconds);
        while (DateTime.UtcNow < until)
        {
            if (Lines().Any(l => l.Contains(text, StringComparison.Ordinal))) return;
            if (process.HasExited) break;
            await Task.Delay(50);
        }
        throw new TimeoutException($"xensim: no line with \"{text}\":\n{string.Join('\n', Lines())}");
    }

    /// <summary>Stops xensim as SIGTERM does and returns its exit code.</summary>
    public async Task<int> StopAsync()
    {
        if (!process.HasExited) process.Kill(Signal.Term);
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        return process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            try { await StopAsync(); }
            catch (TimeoutException) { process.Kill(entireProcessTree: true); }
        }
        process.Dispose();
    }
}

internal static partial class Signal
{
    public const int Term = 15;

    public static void Kill(this Process process, int signal) => _ = Native.Kill(process.Id, signal);

    private static partial class Native
    {
        [System.Runtime.InteropServices.LibraryImport("libc", EntryPoint = "kill")]
        public static partial int Kill(int pid, int signal);
    }
}
