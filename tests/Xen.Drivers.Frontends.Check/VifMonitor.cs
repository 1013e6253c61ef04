namespace Xen.Drivers.Frontends.Check;

/// <summary>
/// dom0's view of the guests' vifs while a guest runs, for diagnosing the network: every few seconds, when it changed,
/// each vif's link and counters (<c>ip -s link</c>), netback's ring indices (debugfs <c>io_ring_q0</c>), the vif
/// device's XenStore states, xenbr0's address and ports, and netback's new kernel messages. Bounded in count and
/// stopped with the guest.
/// </summary>
internal sealed class VifMonitor : IAsyncDisposable
{
    private static readonly TimeSpan Period = TimeSpan.FromSeconds(20);
    private const int MaxReports = 60;

    private const string Script = """
        mountpoint -q /sys/kernel/debug || mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
        for d in /sys/class/net/vif*; do
          [ -e "$d" ] || continue
          n=${d##*/}
          read -r operstate < $d/operstate; read -r carrier 2>/dev/null < $d/carrier
          echo "== $n: operstate $operstate carrier $carrier"
          ip -s link show dev "$n"
          cat /sys/kernel/debug/xen-netback/$n/io_ring_q0 2>&1
        done
        echo "== xenbr0 ports:" /sys/class/net/xenbr0/brif/*
        ip -br addr show dev xenbr0
        xenstore-ls -f /local/domain 2>/dev/null | grep -E 'device/vif/[0-9]+/(state|tx-ring-ref|rx-ring-ref|event-channel[a-z-]*|request-rx-copy|feature-rx-notify) =|backend/vif/[0-9]+/[0-9]+/(state|hotplug-status) =|error/.*vif' | sed 's/^/== /'
        """;

    private readonly CheckLog log;
    private readonly CancellationTokenSource stop = new();
    private readonly Task loop;
    private int kernelLines;

    private VifMonitor(CheckLog log)
    {
        this.log = log;
        loop = Task.Run(RunAsync);
    }

    /// <summary>Starts reporting; dispose when the guest has ended (one last report then).</summary>
    public static VifMonitor Start(CheckLog log) => new(log);

    private async Task RunAsync()
    {
        string last = "";
        for (var report = 0; report < MaxReports && !stop.IsCancellationRequested; report++)
        {
            try { await Task.Delay(Period, stop.Token); }
            catch (OperationCanceledException) { }
            last = await ReportAsync(last);
        }
    }

    private async Task<string> ReportAsync(string last)
    {
        // Each program costs seconds in realxen's dom0 under load: few of them, and time to finish.
        var (_, state) = await Tool.RunAsync("/bin/sh", ["-c", Script], TimeSpan.FromSeconds(180));
        if (state != last && state.Contains("backend/vif", StringComparison.Ordinal))
            foreach (var line in state.TrimEnd().Split('\n')) log.Info("vif: " + line);
        var (_, kernel) = await Tool.RunAsync("/bin/sh", ["-c", "dmesg | grep -i -E 'netback|vif|xenbr0'"], TimeSpan.FromSeconds(60));
        var lines = kernel.TrimEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        foreach (var line in lines.Skip(kernelLines)) log.Info("vif: dmesg: " + line);
        kernelLines = Math.Max(kernelLines, lines.Length);
        return state;
    }

    public async ValueTask DisposeAsync()
    {
        stop.Cancel();
        await loop;
        stop.Dispose();
    }
}
