using System.Globalization;

namespace XenGen.Bench.GuestAgent;

/// <summary>What /proc says about a process: CPU time of all its threads, voluntary context switches (wake-ups), RSS and its peak.</summary>
internal readonly record struct ProcessStats(TimeSpan Cpu, long Wakeups, long RssKib, long PeakRssKib)
{
    private static readonly double TicksPerSecond = 100; // USER_HZ, what /proc/PID/stat counts in on Linux

    public static ProcessStats Of(int pid)
    {
        string stat = File.ReadAllText($"/proc/{pid}/stat");
        // The command name is in parentheses and may hold spaces: fields count from after the last ')'.
        string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        long ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        long wakeups = 0;
        foreach (string task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
        {
            try
            {
                wakeups += Field(File.ReadAllLines(Path.Combine(task, "status")), "voluntary_ctxt_switches:");
            }
            catch (IOException)
            {
                // A thread that ended meanwhile.
            }
        }
        var status = File.ReadAllLines($"/proc/{pid}/status");
        return new ProcessStats(TimeSpan.FromSeconds(ticks / TicksPerSecond), wakeups, Field(status, "VmRSS:"), Field(status, "VmHWM:"));
    }

    /// <summary>The CPU time of this process's children that have been waited for (cutime + cstime).</summary>
    public static TimeSpan ReapedChildrenCpu()
    {
        string stat = File.ReadAllText("/proc/self/stat");
        string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return TimeSpan.FromSeconds((long.Parse(fields[13], CultureInfo.InvariantCulture) + long.Parse(fields[14], CultureInfo.InvariantCulture)) / TicksPerSecond);
    }

    public static ProcessStats operator -(ProcessStats after, ProcessStats before) =>
        new(after.Cpu - before.Cpu, after.Wakeups - before.Wakeups, after.RssKib, after.PeakRssKib);

    private static long Field(string[] lines, string name) =>
        long.Parse(lines.First(l => l.StartsWith(name, StringComparison.Ordinal))[name.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
}
