using System.Diagnostics;
using System.Globalization;
using System.Text;
using Xen.XenStore.Client;
using Xen.XenStore.Client.Transports;
using Xen.XenStore.Protocol;

namespace XenGen.Bench.GuestAgent;

/// <summary>One way of running the agent: the program and its leading arguments.</summary>
internal sealed record AgentVariant(string Name, string File, string[] Arguments);

/// <summary>What one variant cost.</summary>
internal sealed record BenchRow(string Name, ProcessStats Quiet, ProcessStats Changes, TimeSpan IpCpu, TimeSpan ChangesWall, double[] LatencyMs);

/// <summary>
/// One variant in a fresh network namespace (a veth eth0) against our xenstored on a socket, memory interval an
/// hour: settle, a quiet period, then the changes made by one <c>ip -batch</c> process, waited for until the store
/// shows the end state; then single <c>ip addr add</c>s timed until the key is in the store.
/// </summary>
internal static class AgentRun
{
    private const int LatencySamples = 20;

    public static async Task<BenchRow> MeasureAsync(AgentVariant variant, int quietSeconds, int changes, Action<string> progress)
    {
        string ns = $"xga-bench-{Environment.ProcessId}";
        string folder = Directory.CreateTempSubdirectory("xga-bench-").FullName;
        string socket = Path.Combine(folder, "socket");
        Process? store = null, agent = null;
        try
        {
            Shell.Run("ip", ["netns", "add", ns]);
            Shell.Run("ip", ["-n", ns, "link", "add", "eth0", "type", "veth", "peer", "name", "eth9"]);
            Shell.Run("ip", ["-n", ns, "addr", "add", "192.0.2.1/24", "dev", "eth0"]);
            store = Shell.Start("dotnet", [Path.Combine(AppContext.BaseDirectory, "xenstored.dll"), "--socket", socket]);
            await WaitAsync(() => Task.FromResult(File.Exists(socket)), "xenstored's socket");
            await using var client = new XenStoreClient(XsUnixSocketTransport.Connect(socket));
            agent = Shell.Start("ip", ["netns", "exec", ns, variant.File, .. variant.Arguments, "--socket", socket, "--memory-interval", "3600", "--kernel-shutdown"]);
            await WaitAsync(async () => await ReadAsync(client, "attr/vif/0/ipv4/0") == "192.0.2.1", "the first publication");
            await Task.Delay(TimeSpan.FromSeconds(3));

            progress($"{variant.Name}: quiet for {quietSeconds} s");
            var before = ProcessStats.Of(agent.Id);
            await Task.Delay(TimeSpan.FromSeconds(quietSeconds));
            var quiet = ProcessStats.Of(agent.Id) - before;

            progress($"{variant.Name}: {changes} address changes");
            var batch = new StringBuilder();
            for (int i = 0; i < changes / 2; i++) batch.Append(CultureInfo.InvariantCulture, $"addr add 10.{i / 250}.{i % 250}.1/32 dev eth0\n");
            for (int i = 0; i < changes / 2; i++) batch.Append(CultureInfo.InvariantCulture, $"addr del 10.{i / 250}.{i % 250}.1/32 dev eth0\n");
            before = ProcessStats.Of(agent.Id);
            var wall = Stopwatch.StartNew();
            var (_, ipCpu) = Shell.Run("ip", ["-n", ns, "-batch", "-"], batch.ToString());
            await WaitAsync(async () => await ReadAsync(client, "attr/vif/0/ipv4/1") is null && await ReadAsync(client, "attr/vif/0/ipv4/0") == "192.0.2.1", "the end state");
            await Task.Delay(TimeSpan.FromSeconds(1));
            var changed = ProcessStats.Of(agent.Id) - before;
            wall.Stop();

            progress($"{variant.Name}: latency of {LatencySamples} single additions");
            var latency = new double[LatencySamples];
            for (int i = 0; i < LatencySamples; i++)
            {
                string address = $"198.51.100.{i + 1}";
                Shell.Run("ip", ["-n", ns, "addr", "add", address + "/32", "dev", "eth0"]);
                var clock = Stopwatch.StartNew();
                await WaitAsync(async () => await ReadAsync(client, "attr/vif/0/ipv4/1") == address, address);
                latency[i] = clock.Elapsed.TotalMilliseconds;
                Shell.Run("ip", ["-n", ns, "addr", "del", address + "/32", "dev", "eth0"]);
                await WaitAsync(async () => await ReadAsync(client, "attr/vif/0/ipv4/1") is null, address + " removed");
            }
            return new BenchRow(variant.Name, quiet, changed, ipCpu, wall.Elapsed, latency);
        }
        finally
        {
            if (agent is not null) Shell.Stop(agent);
            if (store is not null) Shell.Stop(store);
            if (File.Exists($"/run/netns/{ns}")) Shell.Run("ip", ["netns", "del", ns]);
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task<string?> ReadAsync(XenStoreClient client, string key)
    {
        try
        {
            return await client.ReadStringAsync("/local/domain/0/" + key);
        }
        catch (XsErrorException)
        {
            return null;
        }
    }

    private static async Task WaitAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = Stopwatch.StartNew();
        while (!await condition())
        {
            if (deadline.Elapsed > TimeSpan.FromMinutes(2)) throw new TimeoutException(what + ": not within 2 minutes");
            await Task.Delay(1);
        }
    }
}
