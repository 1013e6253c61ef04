using Xen.Abi.Io;
using Xen.Drivers.Ethernet.Tap;
using Xen.Drivers.Xnf;
using Xen.Services.Xenbus;

namespace Xen.Drivers.Frontends.Check;

/// <summary>
/// The guest's network through Xnf: its first interface bridged to a TAP device, which the guest's own stack
/// addresses; ping and iperf3 both ways with dom0 on the vif's bridge.
/// </summary>
internal sealed class GuestNetwork(XnfDriver xnf, XenbusProbe probe, CheckLog log) : IDisposable
{
    public const string TapName = "tap0";
    private readonly TapBridge bridge = new(TapDevice.Create(TapName), log.Info);
    private readonly TaskCompletionSource<XnfInterface> up = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Bridges the first interface that comes up; call before the probe starts.</summary>
    public void Follow()
    {
        xnf.InterfaceUp += unit =>
        {
            if (!up.TrySetResult(unit)) return;
            bridge.Attach(unit);
        };
        xnf.InterfaceDown += bridge.Detach;
    }

    /// <summary>Waits for xnf0, addresses the TAP and runs ping and iperf3 against <paramref name="peer"/>.</summary>
    public async Task RunAsync(string address, string peer, int iperfSeconds, TimeSpan timeout)
    {
        if (!await UpAsync(address, timeout)) return;
        var unit = up.Task.Result;

        var (exit, output) = await Tool.RunAsync("ping", ["-c", "3", "-W", "20", peer], TimeSpan.FromSeconds(120));
        log.Check(exit == 0, $"ping {peer} from {TapName} through xnf0 and xen-netback", LastLine(output));
        LogRings(unit, "after ping");
        await Iperf.RunAsync(peer, iperfSeconds, reverse: false, "xnf0", log);
        await Iperf.RunAsync(peer, iperfSeconds, reverse: true, "xnf0", log);
        var stats = unit.Statistics;
        log.Info($"{unit.Name}: {stats.Sent} frames sent, {stats.Received} received, {stats.Dropped} dropped, {stats.TxErrors} tx errors; {TapName}: {bridge.FramesToPort} to xnf0, {bridge.FramesFromPort} from it");
        LogRings(unit, "after iperf3");
        log.Check(!unit.IsFailed, "xnf0 saw no backend error", unit.Error ?? "");
    }

    private void LogRings(XnfInterface unit, string when)
    {
        var stats = unit.Statistics;
        log.Info($"{unit.Name} {when}: {stats.Sent} sent, {stats.Received} received, {stats.Dropped} dropped, {stats.TxErrors} tx errors");
        foreach (var line in unit.DescribeRings()) log.Info($"{unit.Name} {when}: {line}");
    }

    /// <summary>Waits for xnf0 and gives the TAP bridged to it <paramref name="address"/>; false (logged) when xnf0 did not connect.</summary>
    public async Task<bool> UpAsync(string address, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        bool published = await Task.WhenAny(up.Task, Task.Delay(timeout, deadline.Token)) == up.Task;
        var backend = published ? await BackendConnectedAsync(deadline.Token) : XenbusState.XenbusStateUnknown;
        bool connected = backend == XenbusState.XenbusStateConnected;
        log.Check(connected, "xnf0 connected to dom0's netback", published ? $"{XenbusStates.NameOf(backend)}" : "xnf0 did not set up");
        if (!connected) return false;
        var unit = up.Task.Result;
        log.Info($"{unit.Name}: mac {unit.Mac}, mtu {unit.Mtu}, offloads {unit.Accepts}, {unit.QueueCount} queue(s)");
        await Tool.CheckAsync("ip", ["addr", "add", address, "dev", TapName], TimeSpan.FromSeconds(30));
        await Tool.CheckAsync("ip", ["link", "set", TapName, "up"], TimeSpan.FromSeconds(30));
        return true;
    }

    /// <summary>Waits until the vif's backend state is Connected (the probe has seen it), or the deadline; the last state seen.</summary>
    private async Task<XenbusState> BackendConnectedAsync(CancellationToken deadline)
    {
        while (true)
        {
            var state = probe.Devices.FirstOrDefault(d => d.Driver == xnf)?.BackendState ?? XenbusState.XenbusStateUnknown;
            if (state == XenbusState.XenbusStateConnected || deadline.IsCancellationRequested) return state;
            try { await Task.Delay(200, deadline); }
            catch (OperationCanceledException) { }
        }
    }

    private static string LastLine(string text) => text.Trim().Split('\n').LastOrDefault() ?? "";

    public void Dispose() => bridge.Dispose();
}
