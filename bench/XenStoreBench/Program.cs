using System.Diagnostics;
using System.Globalization;
using System.Text;
using Xen.XenStore.Client;
using Xen.XenStore.Client.Transports;

namespace XenGen.Bench.XenStore;

/// <summary>
/// Reads, writes, directory listings and 5-write transactions per second against our xenstored (a separate
/// process on a temporary unix socket): Debian's libxenstore through a C program built with clang now, and our
/// client, round after round alternately, one request outstanding at a time on both sides; plus our client with
/// many reads outstanding (what our server serves one client). Medians go to bench/results/xenstore.md.
/// </summary>
public static class Program
{
    private const int PipelineDepth = 64;
    private static readonly string[] s_operations = ["read", "write", "directory", "transaction"];

    public static async Task<int> Main(string[] args)
    {
        int count = 20000, rounds = 3;
        string output = Path.Combine(RepositoryRoot(), "bench", "results", "xenstore.md");
        for (int i = 0; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--count": count = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--rounds": rounds = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--out": output = Path.GetFullPath(args[i + 1]); break;
                default: Console.Error.WriteLine($"unknown option {args[i]}; options: --count N --rounds N --out FILE"); return 2;
            }
        }

        string work = Directory.CreateTempSubdirectory("xenstore-bench-").FullName;
        string socket = Path.Combine(work, "socket");
        string loadBefore = LoadAverage();
        using var server = StartServer(socket);
        try
        {
            string cBench = CompileC(work);
            var c = new List<Dictionary<string, double>>();
            var ours = new List<Dictionary<string, double>>();
            var inline = new List<Dictionary<string, double>>();
            var pipelined = new List<double>();
            await RunOursAsync(socket, "/bench/warmup", count, new XenStoreClientOptions());
            await RunOursAsync(socket, "/bench/warmup-inline", count, new XenStoreClientOptions { InlineCompletions = true });
            for (int round = 1; round <= rounds; round++)
            {
                c.Add(await RunCAsync(cBench, socket, $"/bench/c{round}", count));
                ours.Add(await RunOursAsync(socket, $"/bench/ours{round}", count, new XenStoreClientOptions()));
                inline.Add(await RunOursAsync(socket, $"/bench/inline{round}", count, new XenStoreClientOptions { InlineCompletions = true }));
                pipelined.Add(await RunPipelinedReadsAsync(socket, $"/bench/pipelined{round}", count * 5));
                Console.Error.WriteLine($"round {round}/{rounds}: C {Show(c[^1])}; ours {Show(ours[^1])}; ours inline {Show(inline[^1])}; pipelined reads {pipelined[^1]:F0}/s");
            }
            string report = Report(count, rounds, c, ours, inline, pipelined, loadBefore, LoadAverage());
            Directory.CreateDirectory(Path.GetDirectoryName(output)!);
            string temporary = output + ".tmp";
            await File.WriteAllTextAsync(temporary, report);
            File.Move(temporary, output, overwrite: true);
            Console.Write(report);
            return 0;
        }
        finally
        {
            if (!server.HasExited) server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync();
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>Our xenstored, built beside this program, in its own process.</summary>
    private static Process StartServer(string socket)
    {
        string daemon = Path.Combine(AppContext.BaseDirectory, "xenstored.dll");
        var server = Process.Start(new ProcessStartInfo("dotnet", [daemon, "--socket", socket]) { RedirectStandardError = true })
            ?? throw new InvalidOperationException("cannot start xenstored");
        _ = server.StandardError.ReadToEndAsync();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!File.Exists(socket))
        {
            if (server.HasExited || DateTime.UtcNow > deadline) throw new InvalidOperationException("xenstored did not start listening");
            Thread.Sleep(50);
        }
        return server;
    }

    private static string CompileC(string work)
    {
        string binary = Path.Combine(work, "xs_bench");
        string source = Path.Combine(AppContext.BaseDirectory, "c", "xs_bench.c");
        Run("clang", ["-O2", "-Wall", "-Werror", "-o", binary, source, "-lxenstore"], null);
        return binary;
    }

    private static async Task<Dictionary<string, double>> RunCAsync(string binary, string socket, string basePath, int count)
    {
        string text = await Task.Run(() => Run(binary, [count.ToString(CultureInfo.InvariantCulture), basePath], socket));
        var rates = new Dictionary<string, double>();
        foreach (string line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = line.Split(' ');
            rates[parts[0]] = double.Parse(parts[1], CultureInfo.InvariantCulture) / double.Parse(parts[2], CultureInfo.InvariantCulture);
        }
        return rates;
    }

    /// <summary>The same operations as xs_bench.c, one request outstanding at a time.</summary>
    private static async Task<Dictionary<string, double>> RunOursAsync(string socket, string basePath, int count, XenStoreClientOptions options)
    {
        using var client = new XenStoreClient(XsUnixSocketTransport.Connect(socket), options);
        string key = basePath + "/key", dir = basePath + "/dir";
        byte[] value = Encoding.ASCII.GetBytes("value");
        string[] transactionKeys = Enumerable.Range(0, 5).Select(j => $"{basePath}/tx{j}").ToArray();
        await client.WriteAsync(key, value);
        for (int i = 0; i < 10; i++) await client.WriteAsync($"{dir}/child{i}", "x");

        var rates = new Dictionary<string, double>();
        var watch = Stopwatch.StartNew();
        for (int i = 0; i < count; i++) await client.ReadAsync(key);
        rates["read"] = count / watch.Elapsed.TotalSeconds;

        watch.Restart();
        for (int i = 0; i < count; i++) await client.WriteAsync(key, value);
        rates["write"] = count / watch.Elapsed.TotalSeconds;

        watch.Restart();
        for (int i = 0; i < count; i++)
        {
            if ((await client.DirectoryAsync(dir)).Count != 10) throw new InvalidOperationException("directory");
        }
        rates["directory"] = count / watch.Elapsed.TotalSeconds;

        int transactions = count / 5;
        watch.Restart();
        for (int i = 0; i < transactions; i++)
        {
            await client.RunTransactionAsync(async t =>
            {
                foreach (string k in transactionKeys) await t.WriteAsync(k, value);
            });
        }
        rates["transaction"] = transactions / watch.Elapsed.TotalSeconds;
        return rates;
    }

    /// <summary>Reads with <see cref="PipelineDepth"/> outstanding at any time, from one client.</summary>
    private static async Task<double> RunPipelinedReadsAsync(string socket, string basePath, int count)
    {
        using var client = new XenStoreClient(XsUnixSocketTransport.Connect(socket));
        string key = basePath + "/key";
        await client.WriteAsync(key, "value");
        int next = -1;
        async Task Reader()
        {
            while (Interlocked.Increment(ref next) < count) await client.ReadAsync(key);
        }
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, PipelineDepth).Select(_ => Reader()));
        return count / watch.Elapsed.TotalSeconds;
    }

    private static string Report(int count, int rounds, List<Dictionary<string, double>> c, List<Dictionary<string, double>> ours,
        List<Dictionary<string, double>> inline, List<double> pipelined, string loadBefore, string loadAfter)
    {
        var s = new StringBuilder();
        s.AppendLine("# XenStore speed: our client vs libxenstore, both against our xenstored");
        s.AppendLine();
        s.AppendLine(CultureInfo.InvariantCulture, $"Median of {rounds} rounds (C, ours, ours inline, pipelined, in turn each round); {count} reads, writes and directory listings (10 children) and {count / 5} transactions of 5 writes per run; one connection each; {Environment.ProcessorCount} cores.");
        s.AppendLine(CultureInfo.InvariantCulture, $"Server: our `xenstored` in its own process on a unix socket. libxenstore: {Version("libxenstore4")} (Debian), through `bench/XenStoreBench/c/xs_bench.c` built with {Version("clang")} clang -O2.");
        s.AppendLine(CultureInfo.InvariantCulture, $"Machine load average (1, 5, 15 min) {loadBefore} before, {loadAfter} after (other work on the machine slows every column).");
        s.AppendLine("Written by `dotnet run -c Release --project bench/XenStoreBench` (see `bench/README.md`).");
        s.AppendLine();
        s.AppendLine("One request outstanding at a time (each waits for its reply), operations per second:");
        s.AppendLine();
        s.AppendLine("| operation | libxenstore (C) | our client | ours / C | our client, inline completions | inline / C |");
        s.AppendLine("|---|---:|---:|---:|---:|---:|");
        foreach (string op in s_operations)
        {
            double cRate = Median(c, op), ourRate = Median(ours, op), inlineRate = Median(inline, op);
            s.AppendLine(CultureInfo.InvariantCulture, $"| {op} | {cRate:F0} | {ourRate:F0} | {ourRate / cRate:F2} | {inlineRate:F0} | {inlineRate / cRate:F2} |");
        }
        s.AppendLine();
        s.AppendLine("Our reading of the gap (not measured separately): by default our client completes each reply on a thread-pool thread, which spins a little before it sleeps, so the next request usually leaves without a sleep and wake-up; with inline completions the receive thread, blocked in recv() as libxenstore's caller is, runs the continuation itself, and the rates match libxenstore's. Most of each round trip is the server's.");
        double pipelinedRate = Median(pipelined);
        s.AppendLine();
        s.AppendLine(CultureInfo.InvariantCulture, $"Our client with {PipelineDepth} reads outstanding on one connection: **{pipelinedRate:F0} reads/s** (libxenstore has no asynchronous API to compare with).");
        s.AppendLine();
        s.AppendLine("## Goals");
        s.AppendLine();
        var slower = s_operations.Where(op => Median(ours, op) < Median(c, op)).ToList();
        s.AppendLine(slower.Count == 0
            ? "- our client at least as fast as libxenstore: **met** for every operation (default options)"
            : $"- our client at least as fast as libxenstore: **not met** for {string.Join(", ", slower)} (default options); see the ratios above");
        double sequentialReads = Math.Max(Median(ours, "read"), Median(inline, "read"));
        s.AppendLine(pipelinedRate >= 100_000
            ? $"- our server at least 100k reads/s from one client: **met** with {PipelineDepth} outstanding ({pipelinedRate:F0}/s); one at a time it serves {sequentialReads:F0}/s (our client) and {Median(c, "read"):F0}/s (libxenstore)"
            : $"- our server at least 100k reads/s from one client: **not met** ({pipelinedRate:F0}/s with {PipelineDepth} outstanding, {sequentialReads:F0}/s one at a time)");
        return s.ToString();
    }

    private static double Median(List<Dictionary<string, double>> runs, string op) => Median(runs.Select(r => r[op]).ToList());

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static string Show(Dictionary<string, double> rates) =>
        string.Join(" ", s_operations.Select(op => $"{op} {rates[op]:F0}"));

    private static string Run(string file, string[] args, string? socket)
    {
        var start = new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true };
        if (socket is not null) start.Environment[XsUnixSocketTransport.PathVariable] = socket;
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot run {file}");
        var error = process.StandardError.ReadToEndAsync();
        string text = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{file} failed ({process.ExitCode}): {error.Result}");
        return text;
    }

    private static string Version(string package)
    {
        try
        {
            return Run("dpkg-query", ["-W", "-f=${Version}", package], null);
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return "(unknown version)";
        }
    }

    private static string LoadAverage() => string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "XenGen.sln"))) directory = directory.Parent;
        return directory?.FullName ?? throw new InvalidOperationException("not inside the repository");
    }
}
