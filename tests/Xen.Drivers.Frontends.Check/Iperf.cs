namespace Xen.Drivers.Frontends.Check;

/// <summary>iperf3's TCP client against dom0's server, its JSON report read for the bytes and rate received.</summary>
internal static class Iperf
{
    /// <summary>Runs one iperf3 client and logs it as a check; the receiver's bits per second, or null when it failed.</summary>
    public static async Task<double?> RunAsync(string peer, int seconds, bool reverse, string via, CheckLog log)
    {
        string direction = reverse ? "dom0 to the guest" : "the guest to dom0";
        string[] args = ["-c", peer, "-t", seconds.ToString(), "-J", "--connect-timeout", "30000", .. reverse ? new[] { "-R" } : []];
        var (exit, output) = await Tool.RunAsync("/usr/bin/iperf3", args, TimeSpan.FromSeconds(seconds + 180));
        var report = IperfReport.Parse(output);
        long received = report.Bytes;
        double bits = report.BitsPerSecond;
        bool ok = exit == 0 && report.Error is null && received > 0;
        log.Check(ok, $"iperf3 TCP from {direction} through {via}: {received} bytes", ok ? $"{bits / 1e6:0.0} Mbit/s" : $"exit {exit}: {report.Error ?? "no bytes received"}");
        return ok ? bits : null;
    }
}
