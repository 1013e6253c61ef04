namespace Xen.Simulator.Memory;

/// <summary>First-fit allocator of contiguous runs of guest frames; remembers each run so only whole runs are freed.</summary>
internal sealed class FrameAllocator
{
    private readonly bool[] _used;
    private readonly Dictionary<ulong, int> _runs = new();
    private readonly object _lock = new();

    internal FrameAllocator(ulong frames) => _used = new bool[frames];

    /// <summary>Marks <paramref name="count"/> frames from <paramref name="first"/> used without a run (the simulator's own).</summary>
    internal void Reserve(ulong first, int count)
    {
        lock (_lock)
        {
            for (var i = 0; i < count; i++)
            {
                _used[first + (ulong)i] = true;
            }
        }
    }

    /// <summary>The first frame of a free run of <paramref name="count"/> frames, now used.</summary>
    internal ulong Allocate(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        lock (_lock)
        {
            var run = 0;
            for (var frame = 0; frame < _used.Length; frame++)
            {
                run = _used[frame] ? 0 : run + 1;
                if (run == count)
                {
                    var first = frame - count + 1;
                    Array.Fill(_used, true, first, count);
                    _runs[(ulong)first] = count;
                    return (ulong)first;
                }
            }
        }

        throw new OutOfMemoryException($"no run of {count} free guest frames");
    }

    /// <summary>Frees a run returned by <see cref="Allocate"/>.</summary>
    internal void Free(ulong first, int count)
    {
        lock (_lock)
        {
            if (!_runs.TryGetValue(first, out var length) || length != count)
            {
                throw new ArgumentException($"frames {first:x}+{count} are not a run the guest allocated");
            }

            _runs.Remove(first);
            Array.Fill(_used, false, (int)first, count);
        }
    }
}
