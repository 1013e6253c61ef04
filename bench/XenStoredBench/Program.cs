using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace XenGen.Bench.XenStored;

/// <summary>
/// Our xenstored, published as NativeAOT, and Xen's C xenstored 4.20 (tests/interop/xenstored), in the same run,
/// round after round alternately: idle resident memory, resident memory per idle connection (1,000 of them), and
/// requests per second with 100 concurrent clients writing and reading. Medians and the goals go to
/// bench/results/xenstored.md (written through a temporary file).
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var rounds = new Option<int>("--rounds") { Description = "Rounds per daemon (medians are reported)", DefaultValueFactory = _ => 3 };
        var connections = new Option<int>("--connections") { Description = "Idle connections for the memory measurement", DefaultValueFactory = _ => 1000 };
        var clients = new Option<int>("--clients") { Description = "Concurrent clients for the throughput", DefaultValueFactory = _ => 100 };
        var ops = new Option<int>("--ops") { Description = "Requests per client", DefaultValueFactory = _ => 2000 };
        var binary = new Option<string?>("--xenstored") { Description = "Our published xenstored (default: publish tools/xenstored now)", HelpName = "PATH" };
        var output = new Option<string>("--out") { Description = "The markdown report", DefaultValueFactory = _ => Path.Combine(RepositoryRoot(), "bench", "results", "xenstored.md"), HelpName = "FILE" };
        var root = new RootCommand("xenstored memory and throughput, ours (NativeAOT) against C xenstored 4.20") { rounds, connections, clients, ops, binary, output };
        root.SetAction(result => Run(result.GetValue(rounds), result.GetValue(connections), result.GetValue(clients), result.GetValue(ops), result.GetValue(binary), result.GetValue(output)!));
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors) Console.Error.WriteLine($"XenStoredBench: {error.Message} (try --help)");
            return 2;
        }
        return await parsed.InvokeAsync();
    }

    private static int Run(int rounds, int connections, int clients, int ops, string? binary, string output)
    {
        string work = Directory.CreateTempSubdirectory("xenstored-bench-").FullName;
        try
        {
            binary ??= Publish(work);
            string loadBefore = LoadAverage();
            var c = new List<Measurement>();
            var ours = new List<Measurement>();
            for (int round = 1; round <= rounds; round++)
            {
                using (var daemon = DaemonUnderTest.StartC()) c.Add(Measurements.Run(daemon, connections, clients, ops));
                using (var daemon = DaemonUnderTest.StartOurs(binary, work)) ours.Add(Measurements.Run(daemon, connections, clients, ops));
                Console.Error.WriteLine($"round {round}/{rounds}: C {Show(c[^1])}; ours {Show(ours[^1])}");
            }
            string report = Report(rounds, connections, clients, ops, c, ours, loadBefore, LoadAverage());
            Directory.CreateDirectory(Path.GetDirectoryName(output)!);
            File.WriteAllText(output + ".tmp", report);
            File.Move(output + ".tmp", output, overwrite: true);
            Console.Write(report);
            return 0;
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static string Publish(string work)
    {
        string project = Path.Combine(RepositoryRoot(), "tools", "xenstored", "xenstored.csproj");
        string target = Path.Combine(work, "published");
        Console.Error.WriteLine("publishing tools/xenstored (NativeAOT)...");
        var publish = Process.Start(new ProcessStartInfo("dotnet", ["publish", project, "-c", "Release", "-r", "linux-x64", "-o", target, "-nologo", "-v", "quiet"]))
            ?? throw new InvalidOperationException("cannot run dotnet publish");
        publish.WaitForExit();
        if (publish.ExitCode != 0) throw new InvalidOperationException($"dotnet publish exited {publish.ExitCode}");
        return Path.Combine(target, "xenstored");
    }

    private static string Show(Measurement m) =>
        $"idle {m.IdleKiB} KiB, {m.PerConnectionKiB:F1} KiB/connection, {m.OpsPerSecond:F0} requests/s";

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static string Report(int rounds, int connections, int clients, int ops, List<Measurement> c, List<Measurement> ours, string loadBefore, string loadAfter)
    {
        double cIdle = Median(c.Select(m => (double)m.IdleKiB)), oIdle = Median(ours.Select(m => (double)m.IdleKiB));
        double cConn = Median(c.Select(m => m.PerConnectionKiB)), oConn = Median(ours.Select(m => m.PerConnectionKiB));
        double cOps = Median(c.Select(m => m.OpsPerSecond)), oOps = Median(ours.Select(m => m.OpsPerSecond));
        var s = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        s.AppendLine("# xenstored: ours (NativeAOT) against C xenstored 4.20");
        s.AppendLine();
        s.AppendLine(inv, $"`dotnet run -c Release --project bench/XenStoredBench`: {rounds} rounds, each starting C xenstored then ours afresh; medians. ");
        s.AppendLine(inv, $"Memory is VmRSS; per connection is (RSS with {connections} idle connections - idle RSS) / {connections}. ");
        s.AppendLine(inv, $"Throughput: {clients} clients at once, each {ops} requests (write, read, ... of its own node), one outstanding. Load average before {loadBefore}, after {loadAfter}.");
        s.AppendLine();
        s.AppendLine("| measure | C xenstored | ours | ours / C | goal | met |");
        s.AppendLine("|---|---:|---:|---:|---|---|");
        s.AppendLine(inv, $"| idle RSS (KiB) | {cIdle:F0} | {oIdle:F0} | {oIdle / cIdle:F2}x | <= 4x | {(oIdle <= 4 * cIdle ? "yes" : "no")} |");
        s.AppendLine(inv, $"| RSS per idle connection (KiB) | {cConn:F1} | {oConn:F1} | +{oConn - cConn:F1} KiB | <= +8 KiB | {(oConn - cConn <= 8 ? "yes" : "no")} |");
        s.AppendLine(inv, $"| requests/s, {clients} clients | {cOps:F0} | {oOps:F0} | {oOps / cOps:F2}x | >= 1.0x | {(oOps >= cOps ? "yes" : "no")} |");
        return s.ToString();
    }

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "XenGen.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException("not inside the repository");
    }
}
