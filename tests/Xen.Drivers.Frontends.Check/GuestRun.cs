using System.Diagnostics;

namespace Xen.Drivers.Frontends.Check;

/// <summary>
/// One <c>realxen guest</c> from dom0: this program (NativeAOT) and the peers it runs in the guest go in with
/// <c>--file</c>, and the modules the agent target needs (evtchn, gntalloc) and TAP's are loaded before it.
/// </summary>
internal sealed class GuestRun(string modules, CheckLog log)
{
    private const int TimeoutSeconds = 1800;

    /// <summary>
    /// The command realxen run writes into dom0, by its full path: .NET looks for a bare name in the working folder
    /// before PATH, and a test's output folder holds a <c>realxen</c> apphost without its dll.
    /// </summary>
    private const string Realxen = "/usr/local/bin/realxen";

    /// <summary>What the guest's program is given to run (the module files it loads before it).</summary>
    private string[] Modules =>
    [
        Path.Combine(modules, "kernel/drivers/xen/xen-evtchn.ko"),
        Path.Combine(modules, "kernel/drivers/xen/xen-gntalloc.ko"),
        Path.Combine(modules, "kernel/drivers/net/tun.ko"),
    ];

    /// <summary>
    /// Boots a guest with <paramref name="realxenOptions"/> and the <paramref name="peers"/> programs, running
    /// <c>xen-front-check</c> with <paramref name="guestArguments"/> after the modules; returns realxen guest's exit status.
    /// </summary>
    public async Task<int> RunAsync(string name, IEnumerable<string> realxenOptions, IEnumerable<string> peers, string guestArguments, bool kernelFrontends = false)
    {
        string self = Environment.ProcessPath!;
        var gntallocLimit = "limit=65536"; // Xbf's bounce pages and Xnf's buffers are all gntalloc grants
        string load = $"insmod {Modules[0]} && insmod {Modules[1]} {gntallocLimit} && insmod {Modules[2]}";
        var args = new List<string> { "guest", "--name", name, "--memory", "512", "--timeout", TimeoutSeconds.ToString() };
        if (!kernelFrontends) args.Add("--no-kernel-frontends");
        args.AddRange(realxenOptions);
        foreach (var file in Modules.Concat(peers).Append(self)) args.AddRange(["--file", file]);
        args.AddRange(["--", $"{load} && {self} {guestArguments}"]);
        log.Info($"realxen {string.Join(' ', args)}");
        var clock = Stopwatch.StartNew();
        using var guest = Process.Start(new ProcessStartInfo(Realxen, args)) ?? throw new InvalidOperationException("realxen guest did not start");
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(TimeoutSeconds + 120));
        try
        {
            await guest.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            guest.Kill(entireProcessTree: true);
            await guest.WaitForExitAsync();
        }
        log.Info($"guest {name}: realxen guest exited {guest.ExitCode} after {clock.Elapsed.TotalSeconds:0} s");
        return guest.ExitCode;
    }
}
