using System.Globalization;

namespace XenGen.Bench.GuestAgent;

/// <summary>
/// What /proc says about a process: CPU time of all its threads, voluntary context switches per thread (a blocked
/// thread woken counts one), RSS and its peak. <see cref="Wakeups"/> of a difference counts, per thread, the switches
/// since the first sample (all of them for a thread started since), so threads that ended do not subtract.
/// </summary>
internal readonly record struct ProcessStats(TimeSpan Cpu, long Wakeups, long RssKib, long PeakRssKib, IReadOnlyDictionary<int, long> ThreadSwitches)
{
    private static readonly double TicksPerSecond = 100; // USER_HZ, what /proc/PID/stat counts in on Linux

    public static ProcessStats Of(int pid)
    {
        string stat = File.ReadAllText($"/proc/{pid}/stat");
        // The command name is in parentheses and may hold spaces: fields count from after the last ')'.
        string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        long ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        var threads = new Dictionary<int, long>();
        foreach (string task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
        {
            try
            {
                threads[int.Parse(Path.GetFileName(task), CultureInfo.InvariantCulture)] = Field(File.ReadAllLines(Path.Combine(task, "status")), "voluntary_ctxt_switches:");
            }
            catch (IOException)
            {
                // A thread that ended meanwhile.
            }
        }
        var status = File.ReadAllLines($"/proc/{pid}/status");
        return new ProcessStats(TimeSpan.FromSeconds(ticks / TicksPerSecond), threads.Values.Sum(), Field(status, "VmRSS:"), Field(status, "VmHWM:"), threads);
    }

    /// <summary>The CPU time of this process's children that have been waited for (cutime + cstime).</summary>
    public static TimeSpan ReapedChildrenCpu()
    {
        string stat = File.ReadAllText("/proc/self/stat");
        string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return TimeSpan.FromSeconds((long.Parse(fields[13], CultureInfo.InvariantCulture) + long.Parse(fields[14], CultureInfo.InvariantCulture)) / TicksPerSecond);
    }

    public static ProcessStats operator -(ProcessStats after, ProcessStats before) =>
        new(after.Cpu - before.Cpu,
            after.ThreadSwitches.Sum(t => t.Value - before.ThreadSwitches.GetValueOrDefault(t.Key)),
            after.RssKib, after.PeakRssKib, after.ThreadSwitches);

    private static long Field(string[] lines, string name) =>
        long.Parse(lines.First(l => l.StartsWith(name, StringComparison.Ordinal))[name.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
}
