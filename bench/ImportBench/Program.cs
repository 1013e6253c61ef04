using System.Diagnostics;
using System.Globalization;
using System.Text;
using Xen.Abi.Model;
using XenGen.HeaderImporter;
using XenGen.Tool.Headers;
using XenGen.Tool.Releases;

namespace XenGen.Bench.Import;

/// <summary>
/// Times <see cref="AbiImporter.Import"/> for one release (all four architectures at once, then each alone) and
/// Debian's <c>bindgen</c> on the same headers for x86_64, and writes <c>bench/results/import.md</c>.
/// A Stopwatch harness: warm-up runs, then N timed runs, reported as the median.
/// </summary>
public static class Program
{
    private const string Bindgen = "/usr/bin/bindgen";
    private const double GoalAllArchesSeconds = 10.0;

    public static int Main(string[] args)
    {
        try
        {
            var options = Options.Parse(args);
            Run(options);
            return 0;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or IOException)
        {
            Console.Error.WriteLine("import bench: " + e.Message);
            return 1;
        }
    }

    private static void Run(Options o)
    {
        string repo = RepositoryRoot.Locate(null, Directory.GetCurrentDirectory());
        var catalog = ReleaseCatalog.LoadFromRepository(repo);
        var pin = catalog.Find(o.Release);
        string includeDir = HeaderCache.Default.IncludeDirOf(o.Release);
        string output = o.Output ?? Path.Combine(repo, "bench", "results", "import.md");
        string loadBefore = LoadAverage();
        Console.WriteLine($"release {o.Release}, headers {includeDir}, {o.Warmup} warm-up + {o.Runs} timed runs each, {Environment.ProcessorCount} cores, load {loadBefore}");

        // Our importer: the release for all four architectures in one call (as `xengen import --arch all` does).
        IReadOnlyList<ImportResult>? last = null;
        var all = Measure("ours, 4 arches", o, () => last = ImportOnce(includeDir, o.Release, pin.HeaderTreeSha256, TargetArch.All));
        var perArch = new Dictionary<string, double>();
        foreach (var arch in TargetArch.All.Where(a => a != TargetArch.X86_64))
        {
            perArch[arch.Name] = Measure("ours, " + arch.Name, o, () => ImportOnce(includeDir, o.Release, pin.HeaderTreeSha256, [arch]));
        }

        // bindgen on an umbrella header of the headers our importer parsed for x86_64, with the same defines.
        var x64 = last!.Single(r => r.Model.Arch == TargetArch.X86_64.Name).Model;
        string work = Directory.CreateTempSubdirectory("xengen-importbench-").FullName;
        try
        {
            string umbrella = WriteUmbrella(work, x64);
            var bindgenArgs = BindgenArguments(umbrella, Path.Combine(work, "bindings.rs"), x64, includeDir);
            string bindgenVersion = RunProcess(Bindgen, ["--version"]).Trim();
            // Ours and bindgen for x86_64 alternate run by run, so that other load on the machine hits both alike.
            var (ours64, bindgen64) = MeasurePair("ours, x86_64", () => ImportOnce(includeDir, o.Release, pin.HeaderTreeSha256, [TargetArch.X86_64]),
                "bindgen, x86_64", () => RunProcess(Bindgen, bindgenArgs), o);
            perArch[TargetArch.X86_64.Name] = ours64;
            var bindgen = new Dictionary<string, double> { [TargetArch.X86_64.Name] = bindgen64 };
            long bindgenLines = File.ReadLines(Path.Combine(work, "bindings.rs")).LongCount();
            int parsed = x64.Headers.Count(h => h.Skipped is null);
            string load = $"load average (1, 5, 15 min) {loadBefore} before, {LoadAverage()} after";
            string report = Report(o, all, perArch, bindgen, bindgenVersion, parsed, bindgenLines, last!, load);
            WriteAtomically(output, report);
            Console.WriteLine(report);
            Console.WriteLine("wrote " + output);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static IReadOnlyList<ImportResult> ImportOnce(string includeDir, string release, string sha, IReadOnlyList<TargetArch> arches)
    {
        // Reading the tree is part of the work, as bindgen reads its headers too.
        var results = AbiImporter.Import(new HeaderTree(includeDir), release, sha, arches);
        var failed = results.FirstOrDefault(r => r.HasErrors);
        if (failed != null)
        {
            throw new InvalidOperationException($"import of {release} for {failed.Model.Arch} reported errors: {failed.Diagnostics.First(d => d.IsError)}");
        }
        return results;
    }

    /// <summary>Warm-up runs, then the median of the timed runs, in seconds.</summary>
    private static double Measure(string what, Options o, Action action)
    {
        for (int i = 0; i < o.Warmup; i++) action();
        var times = new double[o.Runs];
        for (int i = 0; i < o.Runs; i++)
        {
            var clock = Stopwatch.StartNew();
            action();
            times[i] = clock.Elapsed.TotalSeconds;
        }
        return Median(what, times);
    }

    /// <summary>Like <see cref="Measure"/> for two actions, alternating them in every round.</summary>
    private static (double A, double B) MeasurePair(string whatA, Action a, string whatB, Action b, Options o)
    {
        for (int i = 0; i < o.Warmup; i++) { a(); b(); }
        var ta = new double[o.Runs];
        var tb = new double[o.Runs];
        for (int i = 0; i < o.Runs; i++)
        {
            var clock = Stopwatch.StartNew();
            a();
            ta[i] = clock.Elapsed.TotalSeconds;
            clock.Restart();
            b();
            tb[i] = clock.Elapsed.TotalSeconds;
        }
        return (Median(whatA, ta), Median(whatB, tb));
    }

    private static double Median(string what, double[] times)
    {
        Array.Sort(times);
        double median = times.Length % 2 == 1 ? times[times.Length / 2] : (times[times.Length / 2 - 1] + times[times.Length / 2]) / 2;
        Console.WriteLine($"  {what,-18} median {median:F3} s  (min {times[0]:F3}, max {times[^1]:F3})");
        return median;
    }

    /// <summary>
    /// One header including every header the importer parsed for the arch. <c>xen.h</c> and <c>hvm/save.h</c>
    /// come first: <c>arch-x86/hvm/save.h</c> only compiles when <c>hvm/save.h</c> includes it (it uses that
    /// header's <c>DECLARE_HVM_SAVE_TYPE</c>); included afterwards its include guard makes it a no-op.
    /// </summary>
    private static string WriteUmbrella(string dir, AbiModel model)
    {
        var parsed = model.Headers.Where(h => h.Skipped is null).Select(h => h.Path).ToList();
        string[] first = ["xen.h", "hvm/save.h"];
        var sb = new StringBuilder("#include <stdint.h>\n#include <stddef.h>\n");
        foreach (string h in first.Where(parsed.Contains).Concat(parsed.Where(h => !first.Contains(h))))
        {
            sb.Append("#include <xen/").Append(h).Append(">\n");
        }
        string path = Path.Combine(dir, "umbrella.h");
        File.WriteAllText(path, sb.ToString());
        return path;
    }

    private static List<string> BindgenArguments(string umbrella, string output, AbiModel model, string includeDir)
    {
        var args = new List<string> { umbrella, "-o", output, "--", "-target", model.Triple, "-I", includeDir };
        args.AddRange(model.Defines.Select(d => "-D" + d));
        return args;
    }

    private static string RunProcess(string file, IReadOnlyList<string> args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi) ?? throw new InvalidOperationException($"cannot start {file}");
        var stderr = p.StandardError.ReadToEndAsync();
        string stdout = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} exited with {p.ExitCode}: {stderr.Result.Trim()}");
        }
        return stdout;
    }

    private static string Report(Options o, double all, Dictionary<string, double> ours, Dictionary<string, double> bindgen,
        string bindgenVersion, int parsedHeaders, long bindgenLines, IReadOnlyList<ImportResult> sample, string load)
    {
        var inv = CultureInfo.InvariantCulture;
        string S(double s) => s.ToString("F3", inv);
        var sb = new StringBuilder();
        sb.Append("# Import speed: HeaderImporter vs bindgen\n\n");
        sb.Append(inv, $"Release {o.Release}; median of {o.Runs} timed runs after {o.Warmup} warm-up run(s); ");
        sb.Append(inv, $"{Environment.ProcessorCount} cores; libclang {AbiImporter.LibclangVersion}; {bindgenVersion} (`{Bindgen}`).\n");
        sb.Append(inv, $"Machine {load} (other work on the machine inflates both sides).\n");
        sb.Append("Written by `dotnet run -c Release --project bench/ImportBench` (see `bench/README.md`).\n\n");
        sb.Append(inv, $"**Our import, 4 arches in one call: {S(all)} s**\n\n");
        sb.Append("| arch | ours (s) | bindgen (s) | bindgen / ours | records | fields | constants |\n");
        sb.Append("|---|---:|---:|---:|---:|---:|---:|\n");
        foreach (var arch in TargetArch.All)
        {
            var m = sample.Single(r => r.Model.Arch == arch.Name).Model;
            bool hasB = bindgen.TryGetValue(arch.Name, out double b);
            sb.Append(inv, $"| {arch.Name} | {S(ours[arch.Name])} | {(hasB ? S(b) : "not run")} | {(hasB ? (b / ours[arch.Name]).ToString("F2", inv) : "-")} | ");
            sb.Append(inv, $"{m.Records.Count} | {m.Records.Sum(r => r.Fields.Count)} | {m.Constants.Count} |\n");
        }
        sb.Append('\n');
        sb.Append(inv, $"bindgen input: an umbrella header of the {parsedHeaders} headers the importer parsed for x86_64, with the model's defines; it wrote {bindgenLines} lines of Rust.\n\n");
        sb.Append("## Goals\n\n");
        sb.Append(inv, $"- < {GoalAllArchesSeconds:F0} s for 4 arches: **{(all < GoalAllArchesSeconds ? "met" : "not met")}** ({S(all)} s)\n");
        bool perArchMet = bindgen.All(kv => ours[kv.Key] < kv.Value);
        string detail = string.Join("; ", bindgen.Select(kv => $"{kv.Key}: ours {S(ours[kv.Key])} s, bindgen {S(kv.Value)} s"));
        sb.Append(inv, $"- less time per arch than bindgen: **{(perArchMet ? "met" : "not met")}** ({detail})\n");
        return sb.ToString();
    }

    /// <summary>The first three fields of <c>/proc/loadavg</c>, or "unknown".</summary>
    private static string LoadAverage()
    {
        try
        {
            return string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "unknown";
        }
    }

    private static void WriteAtomically(string path, string text)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        string tmp = path + ".tmp-" + Environment.ProcessId;
        File.WriteAllText(tmp, text);
        File.Move(tmp, path, overwrite: true);
    }

    private sealed record Options(string Release, int Warmup, int Runs, string? Output)
    {
        public static Options Parse(string[] args)
        {
            var o = new Options("4.17.5", 1, 7, null);
            for (int i = 0; i < args.Length; i++)
            {
                string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
                o = args[i] switch
                {
                    "--release" => o with { Release = Value() },
                    "--warmup" => o with { Warmup = Count(Value(), 0) },
                    "--runs" => o with { Runs = Count(Value(), 1) },
                    "--out" => o with { Output = Value() },
                    _ => throw new ArgumentException($"unknown option '{args[i]}'; options: --release R, --warmup N, --runs N, --out FILE"),
                };
            }
            return o;
        }

        private static int Count(string s, int min) =>
            int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n >= min ? n : throw new ArgumentException($"'{s}' is not a count >= {min}");
    }
}
