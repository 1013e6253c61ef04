using System.Diagnostics;

namespace XenGen.Bench.Events;

/// <summary>
/// How a run's timed rounds become its time, the same for C and C#: the interquartile mean of the rounds (the mean of
/// the middle half once sorted) times the rounds. The middle half drops the rounds a preemption or a busy neighbour
/// core slowed (on this shared machine a few per run, which would swamp a total) and the quickest quarter alike; the
/// mean of what is left resolves below the clock's step (about 10 ns here: a one-port round of 70-80 ns is 7 or 8
/// steps, and a median of such rounds can only move by a whole step, about 12 % of it).
/// </summary>
public static class RoundTimes
{
    /// <summary>The run's nanoseconds from its rounds' clock ticks (sorted in place).</summary>
    public static long Nanoseconds(long[] roundTicks)
    {
        Array.Sort(roundTicks);
        int from = roundTicks.Length / 4, to = roundTicks.Length - (roundTicks.Length / 4);
        if (to <= from)
            (from, to) = (0, roundTicks.Length);
        double sum = 0;
        for (var i = from; i < to; i++)
            sum += roundTicks[i];
        double meanTicks = sum / (to - from);
        return (long)(meanTicks * roundTicks.LongLength * (1e9 / Stopwatch.Frequency));
    }
}
