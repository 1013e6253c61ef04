namespace Xen.Simulator.Faults;

/// <summary>
/// Per-domain fault injection: the Nth call of a hypercall, or of one of its sub-operations (the <c>cmd</c> in its
/// first argument), fails with a chosen errno before Xen looks at its arguments. Each rule fires once.
/// </summary>
public sealed class FaultInjector
{
    private readonly object _lock = new();
    private readonly List<Rule> _rules = new();
    private readonly Dictionary<(uint Op, long Cmd), int> _calls = new();

    /// <summary>Makes call number <paramref name="nth"/> (from 1, counted from now) of hypercall <paramref name="op"/> fail with <paramref name="errno"/>.</summary>
    public void FailNth(uint op, int nth, XenErrno errno) => Add(op, null, nth, errno);

    /// <summary>Makes call number <paramref name="nth"/> of sub-operation <paramref name="cmd"/> of hypercall <paramref name="op"/> fail (e.g. EVTCHNOP_bind_virq).</summary>
    public void FailNth(uint op, uint cmd, int nth, XenErrno errno) => Add(op, cmd, nth, errno);

    /// <summary>Removes every rule that has not fired.</summary>
    public void Clear()
    {
        lock (_lock)
        {
            _rules.Clear();
        }
    }

    /// <summary>How many injected failures have fired.</summary>
    public int Fired { get; private set; }

    private void Add(uint op, uint? cmd, int nth, XenErrno errno)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(nth);
        lock (_lock)
        {
            var key = (op, cmd.HasValue ? (long)cmd.Value : -1);
            _calls.TryGetValue(key, out var sofar);
            _rules.Add(new Rule(op, cmd, sofar + nth, errno));
        }
    }

    /// <summary>Counts the call; the errno to fail it with, if a rule says so.</summary>
    internal XenErrno? Check(uint op, ulong cmd)
    {
        lock (_lock)
        {
            var opCalls = Count((op, -1));
            var cmdCalls = Count((op, (long)(uint)cmd));
            for (var i = 0; i < _rules.Count; i++)
            {
                var rule = _rules[i];
                if (rule.Op != op || (rule.Cmd.HasValue && rule.Cmd.Value != (uint)cmd))
                {
                    continue;
                }

                if ((rule.Cmd.HasValue ? cmdCalls : opCalls) == rule.Call)
                {
                    _rules.RemoveAt(i);
                    Fired++;
                    return rule.Errno;
                }
            }

            return null;
        }
    }

    private int Count((uint, long) key)
    {
        _calls.TryGetValue(key, out var n);
        _calls[key] = ++n;
        return n;
    }

    private sealed record Rule(uint Op, uint? Cmd, int Call, XenErrno Errno);
}
