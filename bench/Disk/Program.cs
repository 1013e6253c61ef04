using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Xen.Bench.Disk;

var seconds = new Option<int>("--seconds") { Description = "fio runtime of each job on each target", DefaultValueFactory = _ => 5 };
var size = new Option<int>("--size-mib") { Description = "The backing file's size", DefaultValueFactory = _ => 256 };
var output = new Option<string>("--out") { Description = "The markdown report", DefaultValueFactory = _ => "bench/results/disk.md" };
var root = new RootCommand("fio through our NBD export of the guest's disk against nbdkit's file plugin on the same file") { seconds, size, output };
root.SetAction(async (result, _) => await RunAsync(result.GetValue(seconds), result.GetValue(size), result.GetValue(output)!));
return await root.Parse(args).InvokeAsync();

static async Task<int> RunAsync(int seconds, int sizeMib, string output)
{
    var dir = Directory.CreateTempSubdirectory("disk-bench-").FullName;
    try
    {
        var image = Path.Combine(dir, "disk.img");
        await using (var file = File.Create(image))
        {
            var chunk = new byte[1 << 20];
            var random = new Random(1);
            for (var i = 0; i < sizeMib; i++)
            {
                random.NextBytes(chunk);
                file.Write(chunk);
            }
        }
        var xensim = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", "tools", "xensim", "bin", "Release", "net10.0", "xensim.dll"));
        var load = File.ReadAllText("/proc/loadavg").Split(' ')[0];
        var rows = new List<string>();
        var ratiosAtQd32 = new List<double>();
        Console.WriteLine($"disk bench: {FioJob.All.Length} jobs x 2 targets x {seconds} s, {sizeMib} MiB file, load {load}");
        foreach (var job in FioJob.All)
        {
            // A fresh server per measurement; ours first, then nbdkit, on the same file.
            var oursSocket = Path.Combine(dir, $"ours-{rows.Count}.sock");
            var kitSocket = Path.Combine(dir, $"kit-{rows.Count}.sock");
            var ours = await MeasureAsync(job, "dotnet", [xensim, "run", "--disk", image, "--nbd", oursSocket], oursSocket, seconds);
            var kit = await MeasureAsync(job, "nbdkit", ["-f", "--unix", kitSocket, "file", image], kitSocket, seconds);
            var ratio = ours.Value / kit.Value;
            if (job.IoDepth == 32) ratiosAtQd32.Add(ratio);
            var unit = job.Throughput ? "MB/s" : "IOPS";
            Console.WriteLine($"  {job.Name}: ours {ours.Value:F0} {unit}, nbdkit {kit.Value:F0} {unit}, {ratio:F2}x");
            rows.Add(string.Create(CultureInfo.InvariantCulture,
                $"| {job.Name} | {unit} | {ours.Value:F0} | {kit.Value:F0} | {ratio:F2}x | {ours.Cpu.TotalSeconds:F2} | {kit.Cpu.TotalSeconds:F2} |"));
        }
        var loadAfter = File.ReadAllText("/proc/loadavg").Split(' ')[0];
        var report = new StringBuilder();
        report.AppendLine("# Disk: fio through our NBD export against nbdkit file");
        report.AppendLine();
        report.AppendLine(CultureInfo.InvariantCulture, $"`dotnet run -c Release --project bench/Disk` ({seconds} s per job and target, {sizeMib} MiB backing file, 1-minute load average {load} before, {loadAfter} after; 2 cores shared).");
        report.AppendLine("Ours: fio's nbd engine → our NBD server → Xbf → blkif rings and event channels on the simulated Xen → Blkback → the file, all in one `xensim` process.");
        report.AppendLine("nbdkit: the same fio job through `nbdkit file` on the same file (the NBD path without Xen). CPU is the serving process's user+system time during the job.");
        report.AppendLine();
        report.AppendLine("| job | unit | ours | nbdkit | ours / nbdkit | ours CPU s | nbdkit CPU s |");
        report.AppendLine("|---|---|---:|---:|---:|---:|---:|");
        foreach (var row in rows) report.AppendLine(row);
        report.AppendLine();
        var worst = ratiosAtQd32.Min();
        report.AppendLine(CultureInfo.InvariantCulture, $"Goal: at least 0.70x nbdkit at queue depth 32: {(worst >= 0.7 ? "met" : "not met")} (lowest QD32 ratio {worst:F2}x).");
        var temp = output + ".tmp";
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
        await File.WriteAllTextAsync(temp, report.ToString());
        File.Move(temp, output, overwrite: true);
        Console.WriteLine($"wrote {output}");
        return 0;
    }
    finally
    {
        Directory.Delete(dir, recursive: true);
    }
}

static async Task<(double Value, TimeSpan Cpu)> MeasureAsync(FioJob job, string program, string[] arguments, string socket, int seconds)
{
    await using var server = await ServerProcess.StartAsync(program, arguments, socket);
    var before = server.CpuTime();
    var fio = Process.Start(new ProcessStartInfo("fio", job.Arguments(socket, seconds)) { RedirectStandardOutput = true, RedirectStandardError = true })!;
    var json = await fio.StandardOutput.ReadToEndAsync();
    var errors = await fio.StandardError.ReadToEndAsync();
    await fio.WaitForExitAsync();
    var cpu = server.CpuTime() - before;
    if (fio.ExitCode != 0) throw new InvalidOperationException($"fio {job.Name} on {program}: exit {fio.ExitCode}: {errors}");
    using var doc = JsonDocument.Parse(json[json.IndexOf('{')..]);
    var side = doc.RootElement.GetProperty("jobs")[0].GetProperty(job.ReadWrite.Contains("read", StringComparison.Ordinal) ? "read" : "write");
    var value = job.Throughput ? side.GetProperty("bw_bytes").GetDouble() / 1e6 : side.GetProperty("iops").GetDouble();
    return (value, cpu);
}
