using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Xen.Abi.Io;
using XenGen.Interop;
using XenGen.Tests;
using XenGen.Tool.Headers;

namespace XenGen.Bench.Rings;

/// <summary>
/// Round trips through a two-page blkif ring: the generated C# ring and ring_peer.c (xen/io/ring.h) doing the same
/// work, each as two threads of one process and as two processes over a MAP_SHARED file, in the same run. A round
/// trip is one request queued by the front end, taken and answered by the back end, and its response taken.
/// </summary>
public static unsafe class Program
{
    private const long RingBytes = 2 * 4096;
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);

    public static int Main(string[] args)
    {
        // Each end on its own CPU, for C and C# alike (ring_peer.c and RingPeer read these); children inherit them.
        if (Environment.ProcessorCount >= 2 && Environment.GetEnvironmentVariable(CpuPinning.FrontVariable) == null)
        {
            Environment.SetEnvironmentVariable(CpuPinning.FrontVariable, "0");
            Environment.SetEnvironmentVariable(CpuPinning.BackVariable, "1");
        }
        if (args.Length == 5 && args[0] == "back") return ChildBack(args[1], long.Parse(args[2], CultureInfo.InvariantCulture), uint.Parse(args[3], CultureInfo.InvariantCulture), ulong.Parse(args[4], CultureInfo.InvariantCulture));
        if (args.Length >= 1 && args[0] == "--probe") return Probe(args.Length > 1 ? ulong.Parse(args[1], CultureInfo.InvariantCulture) : 10_000_000, args.Skip(2).ToHashSet());
        ulong requests = args.Length == 2 && args[0] == "--requests" ? ulong.Parse(args[1], CultureInfo.InvariantCulture) : 10_000_000;
        string peer = CPeer.Build(Path.Combine(AppContext.BaseDirectory, "Peer"), HeaderCache.Default.IncludeDirOf("4.17.5"), Path.Combine(Path.GetTempPath(), "xengen-bench-" + Environment.ProcessId));

        string startLoad = LoadAverage();
        WarmUp();

        var rows = new List<string>();
        const int repeats = 7;
        var (cThreads, csThreads) = Interleaved(repeats, () => CThreads(peer, requests), () => CSharpThreads(requests));
        var (cProcesses, csProcesses) = Interleaved(repeats, () => CProcesses(peer, requests), () => CSharpProcesses(requests));
        rows.Add(Row("two threads", requests, cThreads, csThreads));
        rows.Add(Row("two processes (MAP_SHARED file)", requests, cProcesses, csProcesses));
        var (cProcesses2, csFrontCBack) = Interleaved(repeats, () => CProcesses(peer, requests), () => AgainstC(peer, requests, "back"));
        var (cProcesses3, cFrontCsBack) = Interleaved(repeats, () => CProcesses(peer, requests), () => AgainstC(peer, requests, "front"));
        rows.Add(Row("two processes, C# front end, C back end", requests, cProcesses2, csFrontCBack));
        rows.Add(Row("two processes, C front end, C# back end", requests, cProcesses3, cFrontCsBack));
        var (cTrace, csTrace) = Interleaved(repeats, () => CTrace(peer), () => CSharpTrace());
        rows.Add(Row("one thread, both ends, seeded schedule (steps/s)", TraceSteps, cTrace, csTrace));
        var generator = GeneratorTime();

        var md = new StringBuilder();
        md.AppendLine("# Ring benchmark");
        md.AppendLine();
        md.AppendLine($"Written by `dotnet run -c Release --project bench/Rings` on {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC: {Environment.ProcessorCount} cores, .NET {Environment.Version}, {ClangVersion()}.");
        md.AppendLine($"Each rate is the median of {repeats} runs (C and C# alternating; the slowest and fastest run are given beside it) of {requests:N0} round trips (request queued by the front end, taken and answered by the back end, response taken)");
        md.AppendLine("through a two-page blkif ring (64 entries). C: `tests/interop/rings/ring_peer.c` with xen/io/ring.h, `clang -O2`. C#: the generated `BlkifFront`/`BlkifBack`.");
        md.AppendLine("Both sides run the same loop: fill every free slot, push and check notify, take all responses, final check and wait for a notification when idle");
        md.AppendLine("(a shared counter stands in for the event channel; a waiter spins briefly, then yields). With a 64-entry ring the two ends settle into batches of 64:");
        md.AppendLine("one notification and one wait per batch on each side, so the time is the critical path of filling, copying and checking each batch plus the hand-over.");
        md.AppendLine("The one-thread row runs both ends of the interop tests' seeded schedule (random batch sizes, final checks) in one thread: the cost of the ring operations alone.");
        md.AppendLine("Each end is pinned to its own CPU (front 0, back 1) for C and C# alike, and every process that times C# code first runs it once (tiered compilation is off in the bench:");
        md.AppendLine("the JIT compiles each method fully optimised at its first call and never recompiles it in the background during a timed run; ring_peer.c is compiled ahead of time). The two vCPUs of this machine are shared with other guests: at times the host");
        md.AppendLine("gives them less, and every row with two ends drops to between a third and two fifths of its rate for a while (C further than C#; the one-thread row is not affected). C and C# runs alternate, so both meet the same phases,");
        md.AppendLine("and the median keeps one lucky or unlucky run from deciding a row (the range beside it shows how far runs spread).");
        md.AppendLine("`dotnet run -c Release --project bench/Rings -- --probe [N [setup ...]]` prints the median and best of six rounds of the process and thread rows.");
        md.AppendLine("The load average when the run started and ended is given below the table.");
        md.AppendLine();
        md.AppendLine("| setup | C ring.h round trips/s | C# generated round trips/s | C# / C | C runs | C# runs | C# bytes allocated per round trip (most of any run) |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|---:|");
        foreach (var r in rows) md.AppendLine(r);
        md.AppendLine();
        md.AppendLine($"Load average at the start: {startLoad}; at the end: {LoadAverage()}.");
        md.AppendLine();
        md.AppendLine("| generator over all 75 headers of 4.17.5/x86_64 (CSharpGeneratorDriver; tiered compilation off, as above) | ms |");
        md.AppendLine("|---|---:|");
        md.AppendLine($"| first run in the process (template parsing, JIT) | {generator.First:F0} |");
        md.AppendLine($"| later runs, fresh driver, median of {generator.Runs} | {generator.Median:F0} |");
        md.AppendLine($"| generated source | {generator.Files} files, {generator.Bytes / 1024:N0} KiB |");
        string output = Path.Combine(FindRoot(), "bench", "Rings", "RESULTS.md");
        // Written beside and renamed over, so that an interrupted run never leaves a half-written table.
        string temporary = output + ".tmp";
        File.WriteAllText(temporary, md.ToString());
        File.Move(temporary, output, overwrite: true);
        Console.Write(md);
        Console.WriteLine("written to " + output);
        return 0;
    }

    /// <summary>One measurement: elapsed time and bytes the C# side allocated (C: 0).</summary>
    private readonly record struct Measure(TimeSpan Elapsed, long Allocated);

    /// <summary>Every run of one side of a row.</summary>
    private sealed class Runs(List<Measure> all)
    {
        private readonly List<Measure> _sorted = [.. all.OrderBy(m => m.Elapsed)];

        /// <summary>The median run (the upper median of an even count).</summary>
        public Measure Median => _sorted[_sorted.Count / 2];

        /// <summary>The slowest and fastest run's rate for <paramref name="requests"/>.</summary>
        public (double Slowest, double Fastest) Range(ulong requests) =>
            (requests / _sorted[^1].Elapsed.TotalSeconds, requests / _sorted[0].Elapsed.TotalSeconds);

        /// <summary>The most any run allocated.</summary>
        public long Allocated => _sorted.Max(m => m.Allocated);
    }

    /// <summary>Runs C and C# alternately, so both meet the same load on a shared machine; keeps every run.</summary>
    private static (Runs C, Runs CSharp) Interleaved(int repeats, Func<Measure> c, Func<Measure> csharp)
    {
        List<Measure> cRuns = [], csRuns = [];
        for (int i = 0; i < repeats; i++)
        {
            cRuns.Add(c());
            csRuns.Add(csharp());
        }
        return (new Runs(cRuns), new Runs(csRuns));
    }

    private static string Row(string setup, ulong requests, Runs c, Runs cs)
    {
        double cRate = requests / c.Median.Elapsed.TotalSeconds, csRate = requests / cs.Median.Elapsed.TotalSeconds;
        return $"| {setup} | {cRate:N0} | {csRate:N0} | {csRate / cRate:F2}x | {Millions(c.Range(requests))} | {Millions(cs.Range(requests))} | "
            + $"{(double)cs.Allocated / requests:F6} ({cs.Allocated} bytes in all) |";
    }

    private static string Millions((double Slowest, double Fastest) range) =>
        string.Create(CultureInfo.InvariantCulture, $"{range.Slowest / 1e6:F1}–{range.Fastest / 1e6:F1}M");

    private const ulong TraceSteps = 10_000_000;

    private static Measure CTrace(string peer)
    {
        var clock = Stopwatch.StartNew();
        var (code, output) = CPeer.Run(peer, ["trace", "42", TraceSteps.ToString(CultureInfo.InvariantCulture), "0", RingBytes.ToString(CultureInfo.InvariantCulture)], Timeout);
        if (code != 0) throw new InvalidOperationException("ring_peer trace: " + output);
        return new Measure(clock.Elapsed, 0);
    }

    private static Measure CSharpTrace()
    {
        var clock = Stopwatch.StartNew();
        long before = GC.GetAllocatedBytesForCurrentThread();
        RingPeer.Trace(42, TraceSteps, 0, (int)RingBytes);
        return new Measure(clock.Elapsed, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    private static Measure CThreads(string peer, ulong requests)
    {
        var (code, output) = CPeer.Run(peer, ["threads", RingBytes.ToString(CultureInfo.InvariantCulture), requests.ToString(CultureInfo.InvariantCulture)], Timeout);
        if (code != 0) throw new InvalidOperationException("ring_peer threads: " + output);
        return new Measure(TimeSpan.FromTicks(Nanoseconds(output) / 100), 0);
    }

    private static Measure CSharpThreads(ulong requests)
    {
        byte* memory = (byte*)NativeMemory.AlignedAlloc((nuint)(RingBytes + 4096), 4096);
        try
        {
            new Span<byte>(memory, (int)RingBytes + 4096).Clear();
            var s = (BlkifSring*)memory;
            var c = (Control*)(memory + RingBytes);
            long backAllocated = 0;
            PeerResult back = default;
            var backThread = new Thread(() =>
            {
                long before = GC.GetAllocatedBytesForCurrentThread();
                back = RingPeer.RunBack(s, c, RingBytes, 0, requests, Timeout);
                backAllocated = GC.GetAllocatedBytesForCurrentThread() - before;
            });
            var clock = Stopwatch.StartNew();
            backThread.Start();
            long frontBefore = GC.GetAllocatedBytesForCurrentThread();
            var front = RingPeer.RunFront(s, c, RingBytes, 0, requests, Timeout);
            long frontAllocated = GC.GetAllocatedBytesForCurrentThread() - frontBefore;
            backThread.Join();
            var elapsed = clock.Elapsed;
            Check(front, back);
            return new Measure(elapsed, frontAllocated + backAllocated);
        }
        finally
        {
            NativeMemory.AlignedFree(memory);
        }
    }

    private static Measure CProcesses(string peer, ulong requests)
    {
        using var shared = new SharedFile(RingBytes);
        string[] common = [shared.Path, RingBytes.ToString(CultureInfo.InvariantCulture), "0", requests.ToString(CultureInfo.InvariantCulture)];
        using var back = CPeer.Start(peer, ["back", .. common]);
        var (code, output) = CPeer.Run(peer, ["front", .. common], Timeout);
        back.WaitForExit();
        if (code != 0 || back.ExitCode != 0) throw new InvalidOperationException("ring_peer front/back: " + output + back.StandardOutput.ReadToEnd());
        return new Measure(TimeSpan.FromTicks(Nanoseconds(output) / 100), 0);
    }

    private static Measure CSharpProcesses(ulong requests)
    {
        using var shared = new SharedFile(RingBytes);
        var self = SelfCommand();
        using var back = CPeer.Start(self.Program, [.. self.Args, "back", shared.Path, RingBytes.ToString(CultureInfo.InvariantCulture), "0", requests.ToString(CultureInfo.InvariantCulture)]);
        long before = GC.GetAllocatedBytesForCurrentThread();
        var front = RingPeer.RunFront(shared.Ring, shared.Control, RingBytes, 0, requests, Timeout);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        back.WaitForExit();
        string backOutput = back.StandardOutput.ReadToEnd();
        if (front.Code != 0 || front.Errors != 0 || back.ExitCode != 0) throw new InvalidOperationException($"C# front {front}, C# back: {backOutput}");
        // The child reports its own allocations; both ends count.
        allocated += long.Parse(backOutput.Split("allocated=")[1].Split(' ', '\n')[0], CultureInfo.InvariantCulture);
        return new Measure(TimeSpan.FromTicks(front.Elapsed * TimeSpan.TicksPerSecond / Stopwatch.Frequency), allocated);
    }

    /// <summary>One C# end in this process against ring_peer as <paramref name="cRole"/>; timed by the front end.</summary>
    private static Measure AgainstC(string peer, ulong requests, string cRole)
    {
        using var shared = new SharedFile(RingBytes);
        using var c = CPeer.Start(peer, [cRole, shared.Path, RingBytes.ToString(CultureInfo.InvariantCulture), "0", requests.ToString(CultureInfo.InvariantCulture)]);
        long before = GC.GetAllocatedBytesForCurrentThread();
        var result = cRole == "back"
            ? RingPeer.RunFront(shared.Ring, shared.Control, RingBytes, 0, requests, Timeout)
            : RingPeer.RunBack(shared.Ring, shared.Control, RingBytes, 0, requests, Timeout);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        c.WaitForExit();
        string output = c.StandardOutput.ReadToEnd();
        if (result.Code != 0 || result.Errors != 0 || c.ExitCode != 0) throw new InvalidOperationException($"C# {result}, C {cRole}: {output}");
        var elapsed = cRole == "back"
            ? TimeSpan.FromTicks(result.Elapsed * TimeSpan.TicksPerSecond / Stopwatch.Frequency)
            : TimeSpan.FromTicks(Nanoseconds(output) / 100);
        return new Measure(elapsed, allocated);
    }

    /// <summary>
    /// <c>--probe [N [setup ...]]</c>: a quick look while tuning, not written to RESULTS.md. Six rounds of the process and
    /// thread rows (or only the setups named: c/c, cs/cs, c/cs, cs/c, "c threads", "cs threads"), each setup's median
    /// and best printed, so that one slow round on a noisy machine does not mislead.
    /// </summary>
    private static int Probe(ulong requests, HashSet<string> only)
    {
        string peer = CPeer.Build(Path.Combine(AppContext.BaseDirectory, "Peer"), HeaderCache.Default.IncludeDirOf("4.17.5"), Path.Combine(Path.GetTempPath(), "xengen-bench-" + Environment.ProcessId));
        WarmUp();
        var rates = new Dictionary<string, List<double>>();
        void Add(string k, Func<Measure> run)
        {
            if (only.Count > 0 && !only.Contains(k)) return;
            if (!rates.TryGetValue(k, out var l)) rates[k] = l = [];
            l.Add(requests / run().Elapsed.TotalSeconds / 1e6);
        }
        for (int i = 0; i < 6; i++)
        {
            Add("c/c", () => CProcesses(peer, requests));
            Add("cs/cs", () => CSharpProcesses(requests));
            Add("c/cs", () => AgainstC(peer, requests, "front"));
            Add("cs/c", () => AgainstC(peer, requests, "back"));
            Add("c threads", () => CThreads(peer, requests));
            Add("cs threads", () => CSharpThreads(requests));
        }
        foreach (var (k, l) in rates)
        {
            l.Sort();
            Console.WriteLine($"{k,-12} median {l[l.Count / 2]:F1}M max {l[^1]:F1}M   [{string.Join(" ", l.Select(x => x.ToString("F0", CultureInfo.InvariantCulture)))}]");
        }
        return 0;
    }

    /// <summary>
    /// Runs the ring code once before timing it, so that it is compiled and its pages and caches are warm, as
    /// ring_peer.c's are when it starts (tiered compilation is off in this project: the first compile is the optimised
    /// one). Every process that times a C# end (the child back end too) calls this first.
    /// </summary>
    private static void WarmUp()
    {
        for (int i = 0; i < 3; i++)
        {
            CSharpThreads(300_000);
            RingPeer.Trace(1, 300_000, 0, (int)RingBytes);
        }
    }

    private static int ChildBack(string file, long ringBytes, uint start, ulong requests)
    {
        WarmUp();
        using var f = SharedFile.Open(file, ringBytes);
        long before = GC.GetAllocatedBytesForCurrentThread();
        var result = RingPeer.RunBack(f.Ring, f.Control, ringBytes, start, requests, Timeout);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Console.WriteLine($"back code={result.Code} errors={result.Errors} notifies={result.Notifies} waits={result.Waits} allocated={allocated} ");
        return result.Code != 0 || result.Errors != 0 ? 1 : 0;
    }

    private static void Check(PeerResult front, PeerResult back)
    {
        if (front.Code != 0 || back.Code != 0 || front.Errors != 0 || back.Errors != 0) throw new InvalidOperationException($"front {front}, back {back}");
    }

    private static long Nanoseconds(string output) => long.Parse(output.Split("ns=")[1].Split(' ', '\n')[0], CultureInfo.InvariantCulture);

    private static (string Program, string[] Args) SelfCommand()
    {
        string process = Environment.ProcessPath!;
        string entry = typeof(Program).Assembly.Location;
        return Path.GetFileNameWithoutExtension(process) == "dotnet" ? (process, [entry]) : (process, []);
    }

    private static (double First, double Median, int Runs, int Files, long Bytes) GeneratorTime()
    {
        var model = (Path.Combine(FindRoot(), "xen-public-headers", "4.17.5", "x86_64.abi.json"), File.ReadAllText(Path.Combine(FindRoot(), "xen-public-headers", "4.17.5", "x86_64.abi.json")));
        var settings = GeneratorHarness.Settings("4.17.5", "x86_64", "*", "Xen.Interface");
        var compilation = GeneratorHarness.Compilation(sources: "namespace App; public class Widget { }");
        double Once(out int files, out long bytes)
        {
            var clock = Stopwatch.StartNew();
            var result = GeneratorHarness.Driver([model], settings).RunGenerators(compilation).GetRunResult();
            double ms = clock.Elapsed.TotalMilliseconds;
            files = result.GeneratedTrees.Length;
            bytes = result.GeneratedTrees.Sum(t => (long)t.Length);
            return ms;
        }
        double first = Once(out int files, out long bytes);
        var times = Enumerable.Range(0, 5).Select(_ => Once(out int _, out long _)).Order().ToList();
        return (first, times[2], times.Count, files, bytes);
    }

    private static string ClangVersion()
    {
        var (code, output) = CPeer.Run("clang", ["--version"], TimeSpan.FromSeconds(30));
        return code == 0 ? output.Split('\n')[0].Trim() : "clang";
    }

    private static string FindRoot() => GeneratorHarness.RepoRoot;

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";
}
