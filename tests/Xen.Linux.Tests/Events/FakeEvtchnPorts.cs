using System.Collections.Concurrent;
using Xen.Linux.Events;

namespace Xen.Linux.Tests.Events;

/// <summary>
/// Stands in for <c>/dev/xen/evtchn</c> as <c>drivers/xen/evtchn.c</c> behaves: a port that fires is queued once
/// and masked until unmasked; firing a masked port is remembered and queued on unmask (the kernel's lateeoi).
/// </summary>
internal sealed class FakeEvtchnPorts : IEvtchnPorts
{
    private readonly object gate = new();
    private readonly Queue<uint> queue = new();
    private readonly HashSet<uint> masked = [];
    private readonly HashSet<uint> pendingWhileMasked = [];
    private readonly HashSet<uint> bound = [];
    private uint next = 10;
    private bool overflow;

    public string Name => "fake evtchn";

    public ConcurrentQueue<string> Calls { get; } = new();

    /// <summary>Runs inside the bind ioctl, after the port exists: a peer that notifies at once.</summary>
    public Action<uint>? DuringBind { get; set; }

    public uint BindUnbound(ushort remoteDomain) => Bind();

    public uint BindInterdomain(ushort remoteDomain, uint remotePort) => Bind();

    public uint BindVirq(uint virq) => Bind();

    private uint Bind()
    {
        uint port;
        lock (gate)
        {
            port = next++;
            bound.Add(port);
        }
        DuringBind?.Invoke(port);
        return port;
    }

    public void Unbind(uint port)
    {
        lock (gate) bound.Remove(port);
        Calls.Enqueue($"unbind {port}");
    }

    public void Notify(uint port) => Calls.Enqueue($"notify {port}");

    /// <summary>The peer notifies <paramref name="port"/>.</summary>
    public void Fire(uint port)
    {
        lock (gate)
        {
            if (!bound.Contains(port)) return;
            if (masked.Contains(port)) pendingWhileMasked.Add(port);
            else
            {
                masked.Add(port);
                queue.Enqueue(port);
            }
            Monitor.PulseAll(gate);
        }
    }

    /// <summary>The kernel's ring overflows: the next read fails with EFBIG.</summary>
    public void Overflow()
    {
        lock (gate)
        {
            overflow = true;
            Monitor.PulseAll(gate);
        }
    }

    public bool IsMasked(uint port)
    {
        lock (gate) return masked.Contains(port);
    }

    public int ReadPending(Span<uint> ports, int timeoutMilliseconds)
    {
        lock (gate)
        {
            if (queue.Count == 0 && !overflow) Monitor.Wait(gate, timeoutMilliseconds);
            if (overflow) return -1;
            int n = 0;
            while (n < ports.Length && queue.TryDequeue(out var p)) ports[n++] = p;
            return n;
        }
    }

    public void Unmask(ReadOnlySpan<uint> ports)
    {
        lock (gate)
        {
            foreach (var port in ports)
            {
                Calls.Enqueue($"unmask {port}");
                if (!masked.Remove(port)) continue;
                if (pendingWhileMasked.Remove(port))
                {
                    masked.Add(port);
                    queue.Enqueue(port);
                }
            }
            Monitor.PulseAll(gate);
        }
    }

    public void Reset()
    {
        lock (gate)
        {
            overflow = false;
            queue.Clear();
        }
        Calls.Enqueue("reset");
    }

    public void Dispose() => Calls.Enqueue("close");
}
