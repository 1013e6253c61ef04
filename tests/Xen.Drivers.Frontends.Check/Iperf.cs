using System.Text.Json;

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
        long received = 0;
        double bits = 0;
        try
        {
            using var json = JsonDocument.Parse(output);
            var sum = json.RootElement.GetProperty("end").GetProperty("sum_received");
            received = (long)sum.GetProperty("bytes").GetDouble();
            bits = sum.GetProperty("bits_per_second").GetDouble();
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            output = $"{e.Message}; {output.Trim().Split('\n').LastOrDefault()}";
        }
        bool ok = exit == 0 && received > 0;
        log.Check(ok, $"iperf3 TCP from {direction} through {via}: {received} bytes", ok ? $"{bits / 1e6:0.0} Mbit/s" : $"exit {exit}: {output}");
        return ok ? bits : null;
    }
}
