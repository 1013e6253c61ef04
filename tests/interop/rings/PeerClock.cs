using System.Diagnostics;

namespace XenGen.Interop;

/// <summary>
/// A ring end's clock: the time since it started and whether its timeout has passed. A value type over timestamps, so
/// that timing a run allocates nothing and the benchmark's bytes per round trip count only the ring's own.
/// </summary>
public readonly struct PeerClock
{
    private readonly long _started;
    private readonly long _deadline;

    /// <summary>Starts now, with a deadline <paramref name="timeout"/> from now.</summary>
    public PeerClock(TimeSpan timeout)
    {
        _started = Stopwatch.GetTimestamp();
        _deadline = _started + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
    }

    /// <summary><see cref="Stopwatch"/> ticks since the clock started.</summary>
    public long ElapsedTicks => Stopwatch.GetTimestamp() - _started;

    /// <summary>Whether the deadline has passed.</summary>
    public bool Expired => Stopwatch.GetTimestamp() > _deadline;
}
