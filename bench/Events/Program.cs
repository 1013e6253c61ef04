using System.Globalization;
using System.Text;
using Xen.Nexus.Events;
using XenGen.Tool.Headers;

namespace XenGen.Bench.Events;

/// <summary>
/// Event channels and grants: the nexus's 2-level upcall against evtchn_2l.c (Linux's scan) on the same simulated
/// shared_info and vcpu_info, fed by the same EVTCHNOP_send path; the nexus's FIFO upcall as extra rows; grant and
/// end access against the same v1 flag protocol in C on the same grant frames. Writes RESULTS.md atomically.
/// </summary>
public static class Program
{
    private static readonly int[] PortCounts = [1, 64, 4095];

    public static int Main(string[] args)
    {
        long events = Option(args, "--events", 1_000_000);
        int samples = (int)Option(args, "--samples", 4_000);
        int runs = (int)Option(args, "--runs", 7);
        long grantCount = Option(args, "--grants", 4_000_000);
        bool probe = args.Contains("--probe");

        string root = FindRoot();
        string temp = Path.Combine(Path.GetTempPath(), "xengen-events-" + Environment.ProcessId);
        using var native = new NativeScan(Path.Combine(AppContext.BaseDirectory, "c", "evtchn_2l.c"), HeaderCache.Default.IncludeDirOf("4.17.5"), temp);
        if (args.Contains("--profile-grants"))
            return ProfileGrants(grantCount, args.Contains("--c"));
        if (args.Contains("--profile"))
            return Profile((int)Option(args, "--profile", 4095), events, args.Contains("--c"));
        if (args.Contains("--rates"))
            return Rates(native, events, runs, grantCount);
        string startLoad = LoadAverage();

        var throughput = new List<string>();
        var latency = new List<string>();
        foreach (var ports in PortCounts)
        {
            using var bed = new EventBed(EventChannelAbiKind.TwoLevel, ports, native);
            var order = Shuffled(bed.Ports, 42);
            // Warm-up: every path once (tiered compilation is off: each method is compiled optimised at its first call).
            bed.Throughput(useC: false, maskAround: false, Math.Min(events, 10_000), order);
            bed.Throughput(useC: true, maskAround: false, Math.Min(events, 10_000), order);
            bed.Latency(useC: false, 200, order);
            bed.Latency(useC: true, 200, order);
            List<Measure> c = [], cMasked = [], cs = [];
            List<Latencies> cLat = [], csLat = [];
            for (var r = 0; r < runs; r++)
            {
                c.Add(bed.Throughput(useC: true, maskAround: false, events, order));
                cs.Add(bed.Throughput(useC: false, maskAround: false, events, order));
                cMasked.Add(bed.Throughput(useC: true, maskAround: true, events, order));
                cLat.Add(bed.Latency(useC: true, samples, order));
                csLat.Add(bed.Latency(useC: false, samples, order));
            }
            throughput.Add(ThroughputRow($"{ports} (2-level)", c, cs, cMasked));
            latency.Add(LatencyRow($"{ports} (2-level)", cLat, csLat));
            Console.WriteLine(throughput[^1]);
            Console.WriteLine(latency[^1]);
        }
        foreach (var ports in PortCounts)
        {
            using var bed = new EventBed(EventChannelAbiKind.Fifo, ports, null);
            if (bed.Abi != EventChannelAbiKind.Fifo)
                throw new InvalidOperationException("the nexus did not take FIFO");
            var order = Shuffled(bed.Ports, 42);
            bed.Throughput(useC: false, maskAround: false, Math.Min(events, 10_000), order);
            bed.Latency(useC: false, 200, order);
            List<Measure> cs = [];
            List<Latencies> csLat = [];
            for (var r = 0; r < runs; r++)
            {
                cs.Add(bed.Throughput(useC: false, maskAround: false, events, order));
                csLat.Add(bed.Latency(useC: false, samples, order));
            }
            throughput.Add(ThroughputRow($"{ports} (FIFO, C# only)", null, cs, null));
            latency.Add(LatencyRow($"{ports} (FIFO, C# only)", null, csLat));
            Console.WriteLine(throughput[^1]);
            Console.WriteLine(latency[^1]);
        }

        string grantRow;
        using (var bed = new GrantBed(native))
        {
            bed.CSharp(10_000);
            bed.C(10_000);
            List<Measure> c = [], cs = [];
            for (var r = 0; r < runs; r++)
            {
                c.Add(bed.C(grantCount));
                cs.Add(bed.CSharp(grantCount));
            }
            grantRow = ThroughputRow("grant + end access", c, cs, null);
            Console.WriteLine(grantRow);
        }
        string endLoad = LoadAverage();
        double bracket = BracketNanoseconds();

        var md = new StringBuilder();
        md.AppendLine("# Event channel and grant benchmark");
        md.AppendLine();
        md.AppendLine($"Written by `dotnet run -c Release --project bench/Events` on {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC: {Environment.ProcessorCount} cores, .NET {Environment.Version}, {ClangVersion()}.");
        md.AppendLine($"Load average at the start: {startLoad}; at the end: {endLoad} (the machine is shared: absolute rates move with the load; the ratios of one run are the figure).");
        md.AppendLine();
        md.AppendLine("Goals: C# at least 1.0x C in every rate row (for latency: C# at most 1.0x C's time); no bytes allocated per event.");
        md.AppendLine();
        md.AppendLine("## What runs");
        md.AppendLine();
        md.AppendLine("One simulated Xen (`simulator/Xen.Simulator`), one guest of two vCPUs whose nexus is attached with the 2-level (or FIFO) ABI, with 1, 64 or 4095 IPI");
        md.AppendLine("ports bound to vCPU 0 (4095: every port of the 2-level ABI but port 0, which Xen reserves). Each port's handler counts its event in a native array");
        md.AppendLine("(in both languages the handler keeps its stamping path, used only by the latency runs, in a function of its own that is not inlined).");
        md.AppendLine("C: `bench/Events/c/evtchn_2l.c`, built in this run with `clang -O2` as a shared library and called through unmanaged function pointers");
        md.AppendLine("with the simulated domain's own shared_info and vCPU 0's registered vcpu_info (the pages the nexus uses), the same ports bound and the same counting array.");
        md.AppendLine("It is Linux's 2-level scheme: selector taken with xchg, each selected word read once per visit (pending & ~mask & ports of this vCPU), each port's pending");
        md.AppendLine("bit cleared alone with an atomic AND before its handler (an indirect call through a per-port table), masked ports skipped, the scan resumed after the last");
        md.AppendLine("port served and the start word visited again for the bits before the resume point. C#: `EventChannels.Upcall` (the nexus's `TwoLevelEventChannels`,");
        md.AppendLine("its scan inlined into the upcall, one call per word visit):");
        md.AppendLine("the same scan, but the ports of a word visit are claimed by setting their mask bits with one atomic fetch-or (only those it found clear are");
        md.AppendLine("served, so no two vCPUs serve a port at once), the pending, bound and user-masked words are read once after the claim, each claimed port still pending,");
        md.AppendLine("bound, not masked by a user and not masked or closed by an earlier handler of the word (which the slot notes) has its pending bit cleared alone");
        md.AppendLine("before its handler (a delegate) runs, and after the word's last handler one atomic AND unmasks them");
        md.AppendLine("(raising the word again if one became pending meanwhile): each port stays masked from its claim until after its handler. A per-vCPU slot names the");
        md.AppendLine("claimed word and bits, which Mask and Close wait on. The column \"C, nexus's mask around each handler\" is evtchn_2l.c doing the same word claim");
        md.AppendLine("(`serve_word_claimed`): the nexus's algorithm in C, so that the cost of the algorithm and of the language can be told apart.");
        md.AppendLine("The sender is the same for both sides: `EVTCHNOP_send` on each port through the nexus's hypercall plumbing into the simulator's event_2l (event_fifo) code.");
        md.AppendLine();
        md.AppendLine($"**Events per second**: {events:N0} events per run (rounds of one send to every bound port, in one seeded shuffled order, then one upcall).");
        md.AppendLine("The callback vector's handler is removed for these runs, so the simulator's interrupt context takes no part; the bench thread calls the upcall itself.");
        md.AppendLine("Timed: only the upcall call of each round (a timestamp before and after it), from `evtchn_upcall_pending` set until every port's event is handled;");
        md.AppendLine("the sends are not timed. A run's rate is the events of a round over its rounds' interquartile mean (the mean of the middle half of the sorted");
        md.AppendLine("round times; `RoundTimes`, the same reduction for both sides): on this shared machine a preemption or a busy neighbour core lands in some rounds of a");
        md.AppendLine("run and would swamp its total, and the clock steps by about 10 ns (TSC reads here), so that a median of 70-80 ns rounds could only move by a whole");
        md.AppendLine("step (12 %); the mean of the middle half resolves below the step. With one port a round is one event, so the two timestamps weigh on that row and pull its ratio towards 1:");
        md.AppendLine($"an empty bracket (two `Stopwatch.GetTimestamp` calls, nothing between) took {bracket:F1} ns here, the median of 7 runs of 1,000,000; it is in every round of both sides.");
        md.AppendLine($"Bytes allocated: `GC.GetAllocatedBytesForCurrentThread` before and after each timed upcall, summed over the run (the most of any run).");
        md.AppendLine();
        md.AppendLine($"**Notify-to-handler latency**: {samples:N0} events per run, one at a time, to the ports in the same seeded order; the bench thread, as vCPU 1, takes a");
        md.AppendLine("timestamp and sends (`EVTCHNOP_send`: pending bit, selector, upcall_pending, callback vector raised); the simulator's interrupt context of vCPU 0");
        md.AppendLine("wakes and runs the callback handler (the bench's one wrapper, then the nexus's upcall or evtchn_2l.c's); the port handler takes a CLOCK_MONOTONIC");
        md.AppendLine("timestamp (`clock_gettime` in C, `Stopwatch.GetTimestamp` in C#) and counts; the sender waits for the count before the next send. The latency is");
        md.AppendLine("the difference of the two timestamps, so it includes the simulator's delivery (a monitor pulse waking a thread on a loaded 2-core machine), which dominates.");
        md.AppendLine();
        md.AppendLine($"Each figure is the median of {runs} runs; C and C# runs alternate (C, C#, C with masking) so that both meet the same load; the range beside it is the slowest and fastest run.");
        md.AppendLine("Tiered compilation is off in this project (every method compiled optimised at its first call, no background recompile during a timed run); every path runs once before the timed runs.");
        md.AppendLine();
        md.AppendLine("## Events per second");
        md.AppendLine();
        md.AppendLine("| bound ports | C (Linux 2-level) events/s | C# nexus events/s | C# / C | C runs | C# runs | C, nexus's mask around each handler | C# / that | C# bytes allocated per event (most of any run) |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var row in throughput) md.AppendLine(row);
        md.AppendLine();
        md.AppendLine("## Notify-to-handler latency (through the simulator's delivery)");
        md.AppendLine();
        md.AppendLine("| bound ports | C p50 µs | C p99 µs | C# p50 µs | C# p99 µs | C# / C p50 (below 1: C# quicker) | C# / C p99 | C p50 runs µs | C# p50 runs µs |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var row in latency) md.AppendLine(row);
        md.AppendLine();
        md.AppendLine("## Grant and end access per second");
        md.AppendLine();
        md.AppendLine($"{grantCount:N0} grants per run of one frame to dom0, each ended at once, on the nexus's grant frames as the guest maps them (nothing else granted, so");
        md.AppendLine("both take the same lowest free reference). C: `gnt_loop` in evtchn_2l.c, Linux's scheme (a free list under a spin lock; the entry found with a shift and a mask, 512 entries");
        md.AppendLine("to a frame as a constant, as Linux indexes its table without dividing; domid and frame, then the flags");
        md.AppendLine("`GTF_permit_access` with a release store; end by compare-and-swap of the flags to 0, refused while `GTF_reading`/`GTF_writing`; the reference back under");
        md.AppendLine("the lock). C#: `GrantTable.GrantAccess` then `TryEndAccess` in a loop (`GrantBed.GrantLoop`, a method of its own as `gnt_loop` is; both calls inlined into it by the JIT,");
        md.AppendLine($"as clang inlines C's into `gnt_loop`). Both are timed in rounds of {GrantBed.Round:N0} grants (one call of the loop per round), a timestamp each side of a round,");
        md.AppendLine("and a run's rate is a round's grants over the rounds' interquartile mean, the same reduction as for the events.");
        md.AppendLine();
        md.AppendLine("| operation | C grants/s | C# nexus grants/s | C# / C | C runs | C# runs | — | — | C# bytes allocated per grant (most of any run) |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        md.AppendLine(grantRow);
        md.AppendLine();
        md.AppendLine("## Goals");
        md.AppendLine();
        var slow = RateRatios.Where(r => Math.Round(r.Ratio, 2) < 1.0).Select(r => $"{r.Setup} {r.Ratio:F2}x").ToList();
        md.AppendLine($"- At least 1.0x C (rates): {(slow.Count == 0 ? "met in every row" : $"not met in {slow.Count} of {RateRatios.Count} rows ({string.Join("; ", slow)})")}.");
        var slowSame = SameSchemeRatios.Where(r => Math.Round(r.Ratio, 2) < 1.0).Select(r => $"{r.Setup} {r.Ratio:F2}x").ToList();
        md.AppendLine($"- Against the same scheme in C (evtchn_2l.c with the nexus's masking around each handler): {(slowSame.Count == 0 ? "at least 1.0x in every row" : $"below 1.0x in {slowSame.Count} of {SameSchemeRatios.Count} rows ({string.Join("; ", slowSame)})")}.");
        var late = LatencyRatios.Where(r => Math.Round(r.Ratio, 2) > 1.0).Select(r => $"{r.Setup} {r.Ratio:F2}x").ToList();
        md.AppendLine($"- Latency at most C's: {(late.Count == 0 ? "met in every row" : $"not met in {late.Count} of {LatencyRatios.Count} figures ({string.Join("; ", late)}), where the simulator's thread wake-up is most of the time")}.");
        md.AppendLine($"- No allocation per event (and per grant): {(mostAllocated == 0 ? "met: 0 bytes in every timed C# run" : $"not met: up to {mostAllocated} bytes in one run")}; `EventAllocationTests` proves it over 100,000 events on both ABIs.");
        md.AppendLine();
        md.AppendLine("## Where the C# time goes");
        md.AppendLine();
        md.AppendLine("Read from the JIT's code for the upcall (`DOTNET_JitDisasm`) and from evtchn_2l.c's, not timed per part.");
        md.AppendLine("- Events, per event served: both do one locked RMW (the pending clear) and an indirect call (C through its per-port table, C# a delegate");
        md.AppendLine("  from the handler table: its target and code pointer loaded from the delegate, then the call). Before each port the nexus loads one word");
        md.AppendLine("  (the slot's Skip) and tests the handler for null; Linux's scan stores its resume point instead.");
        md.AppendLine("- Per upcall: the nexus's upcall inlines its scan and calls the word visit once per word with ready ports (whose port loop then has no spill); it reads the");
        md.AppendLine("  thread id (a JIT helper call) for its slot, and its full fence is `lock or [rsp]` where clang's `__atomic_thread_fence` is `mfence`.");
        md.AppendLine("- Per word visit the nexus adds two locked RMWs (the claim, a compare-and-swap loop since x86 has no fetch-or that returns the old value;");
        md.AppendLine("  the unmask), the reads of the pending, bound and user-masked words after the claim, and the slot's stores. The C column with the nexus's");
        md.AppendLine("  masking does the same locked RMWs. With one port a round is one event, so these are per event there: three locked RMWs on the port bitmaps");
        md.AppendLine("  per event (claim, pending clear, unmask) where Linux's scan does one. With 64 and 4095 ports they are shared by up to 64 events.");
        md.AppendLine("- The simulator's delivery (latency rows) is a monitor pulse waking vCPU 0's interrupt thread: tens of µs on this loaded machine,");
        md.AppendLine("  against which the scan's nanoseconds do not show; both sides go through it alike.");
        md.AppendLine("- Grants: both take a test-and-set lock twice per grant + end (the free list's pop and push) and do one compare-and-swap of the flags; the");
        md.AppendLine("  nexus also checks the reference is granted (`CheckGranted`: one load of its in-use mark) and marks it taken, and holds its gate without");
        md.AppendLine("  try/finally (the bodies cannot throw), so the loop keeps its values in registers.");
        Console.Write(md);
        if (probe)
            return 0;
        string output = Option(args, "--out", Path.Combine(root, "bench", "results", "events.md"));
        // Written beside and renamed over, so an interrupted run never leaves a half-written table.
        string temporary = output + ".tmp";
        File.WriteAllText(temporary, md.ToString());
        File.Move(temporary, output, overwrite: true);
        Console.WriteLine("written to " + output);
        try { Directory.Delete(temp, recursive: true); } catch (IOException) { }
        return 0;
    }

    /// <summary>Only the 2-level throughput of one side with <paramref name="ports"/> ports, ten runs, for a profiler (perf with DOTNET_PerfMapEnabled=1).</summary>
    private static int Profile(int ports, long events, bool useC)
    {
        using var native = new NativeScan(Path.Combine(AppContext.BaseDirectory, "c", "evtchn_2l.c"), HeaderCache.Default.IncludeDirOf("4.17.5"), Path.Combine(Path.GetTempPath(), "xengen-events-" + Environment.ProcessId));
        using var bed = new EventBed(EventChannelAbiKind.TwoLevel, ports, native);
        var order = Shuffled(bed.Ports, 42);
        for (var r = 0; r < 10; r++)
            Console.WriteLine($"{bed.Throughput(useC, maskAround: false, events, order).PerSecond:N0} events/s");
        return 0;
    }

    /// <summary>Only the rate rows (2-level events, grants), printed and not written: a quick look while changing the nexus.</summary>
    private static int Rates(NativeScan native, long events, int runs, long grantCount)
    {
        foreach (var ports in PortCounts)
        {
            using var bed = new EventBed(EventChannelAbiKind.TwoLevel, ports, native);
            var order = Shuffled(bed.Ports, 42);
            bed.Throughput(useC: false, maskAround: false, Math.Min(events, 10_000), order);
            bed.Throughput(useC: true, maskAround: false, Math.Min(events, 10_000), order);
            List<Measure> c = [], cMasked = [], cs = [];
            for (var r = 0; r < runs; r++)
            {
                c.Add(bed.Throughput(useC: true, maskAround: false, events, order));
                cs.Add(bed.Throughput(useC: false, maskAround: false, events, order));
                cMasked.Add(bed.Throughput(useC: true, maskAround: true, events, order));
            }
            Console.WriteLine(ThroughputRow($"{ports} (2-level)", c, cs, cMasked));
        }
        using var grants = new GrantBed(native);
        grants.CSharp(10_000);
        grants.C(10_000);
        List<Measure> gc = [], gcs = [];
        for (var r = 0; r < runs; r++)
        {
            gc.Add(grants.C(grantCount));
            gcs.Add(grants.CSharp(grantCount));
        }
        Console.WriteLine(ThroughputRow("grant + end access", gc, gcs, null));
        return 0;
    }

    /// <summary>What one empty timing bracket costs (two timestamps, nothing between): the median of 7 runs.</summary>
    private static double BracketNanoseconds()
    {
        var results = new List<double>();
        for (var r = 0; r < 7; r++)
        {
            long sum = 0;
            const int n = 1_000_000;
            for (var i = 0; i < n; i++)
            {
                long start = System.Diagnostics.Stopwatch.GetTimestamp();
                long end = System.Diagnostics.Stopwatch.GetTimestamp();
                sum += end - start;
            }
            results.Add(sum * (1e9 / System.Diagnostics.Stopwatch.Frequency) / n);
        }
        results.Sort();
        return results[results.Count / 2];
    }

    /// <summary>Only one side's grant + end access loop, ten runs.</summary>
    private static int ProfileGrants(long count, bool useC)
    {
        using var native = new NativeScan(Path.Combine(AppContext.BaseDirectory, "c", "evtchn_2l.c"), HeaderCache.Default.IncludeDirOf("4.17.5"), Path.Combine(Path.GetTempPath(), "xengen-events-" + Environment.ProcessId));
        using var bed = new GrantBed(native);
        for (var r = 0; r < 10; r++)
            Console.WriteLine($"{(useC ? bed.C(count) : bed.CSharp(count)).PerSecond:N0} grants/s");
        return 0;
    }

    private static readonly List<(string Setup, double Ratio)> RateRatios = [];
    private static readonly List<(string Setup, double Ratio)> LatencyRatios = [];
    private static long mostAllocated;

    private static readonly List<(string Setup, double Ratio)> SameSchemeRatios = [];

    private static string ThroughputRow(string setup, List<Measure>? c, List<Measure> cs, List<Measure>? cMasked)
    {
        mostAllocated = Math.Max(mostAllocated, cs.Max(m => m.Allocated));
        if (c is not null)
            RateRatios.Add((setup, Median(cs) / Median(c)));
        double csRate = Median(cs);
        string perOp = $"{(double)cs.Max(m => m.Allocated) / cs[0].Operations:F6} ({cs.Max(m => m.Allocated)} bytes in all)";
        if (c is null)
            return $"| {setup} | — | {csRate:N0} | — | — | {Range(cs)} | — | — | {perOp} |";
        double cRate = Median(c);
        if (cMasked is not null)
            SameSchemeRatios.Add((setup, csRate / Median(cMasked)));
        string masked = cMasked is null ? "— | —" : $"{Median(cMasked):N0} ({Range(cMasked)}) | {csRate / Median(cMasked):F2}x";
        return $"| {setup} | {cRate:N0} | {csRate:N0} | {csRate / cRate:F2}x | {Range(c)} | {Range(cs)} | {masked} | {perOp} |";
    }

    private static string LatencyRow(string setup, List<Latencies>? c, List<Latencies> cs)
    {
        double csP50 = MedianOf(cs, 0.50), csP99 = MedianOf(cs, 0.99);
        if (c is null)
            return $"| {setup} | — | — | {csP50 / 1000:F1} | {csP99 / 1000:F1} | — | — | — | {LatencyRange(cs)} |";
        double cP50 = MedianOf(c, 0.50), cP99 = MedianOf(c, 0.99);
        LatencyRatios.Add((setup + " p50", csP50 / cP50));
        LatencyRatios.Add((setup + " p99", csP99 / cP99));
        return $"| {setup} | {cP50 / 1000:F1} | {cP99 / 1000:F1} | {csP50 / 1000:F1} | {csP99 / 1000:F1} | {csP50 / cP50:F2}x | {csP99 / cP99:F2}x | {LatencyRange(c)} | {LatencyRange(cs)} |";
    }

    private static double Median(List<Measure> runs) => runs.Select(m => m.PerSecond).Order().ElementAt(runs.Count / 2);

    private static string Range(List<Measure> runs)
    {
        var rates = runs.Select(m => m.PerSecond).Order().ToList();
        return string.Create(CultureInfo.InvariantCulture, $"{rates[0] / 1e6:F1}–{rates[^1] / 1e6:F1}M");
    }

    private static double MedianOf(List<Latencies> runs, double p) => runs.Select(l => (double)l.Percentile(p)).Order().ElementAt(runs.Count / 2);

    private static string LatencyRange(List<Latencies> runs)
    {
        var p50 = runs.Select(l => l.Percentile(0.5) / 1000.0).Order().ToList();
        return string.Create(CultureInfo.InvariantCulture, $"{p50[0]:F1}–{p50[^1]:F1}");
    }

    private static uint[] Shuffled(uint[] ports, int seed)
    {
        var order = (uint[])ports.Clone();
        new Random(seed).Shuffle(order);
        return order;
    }

    private static long Option(string[] args, string name, long fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? long.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }

    private static string Option(string[] args, string name, string fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
    }

    private static string ClangVersion()
    {
        var psi = new System.Diagnostics.ProcessStartInfo("clang", "--version") { RedirectStandardOutput = true };
        using var p = System.Diagnostics.Process.Start(psi);
        if (p is null) return "clang";
        string first = p.StandardOutput.ReadLine() ?? "clang";
        p.WaitForExit();
        return first.Trim();
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "XenGen.sln")))
                return dir.FullName;
        throw new InvalidOperationException("XenGen.sln not found above " + AppContext.BaseDirectory);
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";
}
