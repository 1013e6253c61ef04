namespace Xen.Simulator.Cpu;

/// <summary>
/// One vCPU's interrupt context: a thread that runs the guest's handler for each vector raised on this vCPU, one at a
/// time. A vector raised while its handler runs is delivered again after it returns; a vector with no handler is
/// dropped. After the handler of a level-style vector (the event-channel callback), <see cref="StillAsserted"/> is
/// asked whether to deliver it again, as Xen re-injects the callback vector while evtchn_upcall_pending is set.
/// </summary>
internal sealed class VirtualCpu : IDisposable
{
    private readonly object _lock = new();
    private readonly bool[] _pending = new bool[256];
    private readonly Thread _thread;
    private readonly SimulatedGuest _guest;
    private bool _stopped;

    internal VirtualCpu(SimulatedGuest guest, int id)
    {
        _guest = guest;
        Id = id;
        _thread = new Thread(Run) { IsBackground = true, Name = $"dom{guest.Domain.DomainId} vcpu{id} interrupts" };
        _thread.Start();
    }

    /// <summary>The vCPU number.</summary>
    internal int Id { get; }

    /// <summary>Asked after a handler returns: whether the vector is still asserted (delivered again).</summary>
    internal Func<int, byte, bool>? StillAsserted { get; set; }

    /// <summary>How many interrupts this vCPU has taken.</summary>
    internal long Delivered;

    /// <summary>Raises <paramref name="vector"/> on this vCPU.</summary>
    internal void Raise(byte vector)
    {
        lock (_lock)
        {
            _pending[vector] = true;
            Monitor.Pulse(_lock);
        }
    }

    private void Run()
    {
        while (true)
        {
            byte vector;
            lock (_lock)
            {
                int next;
                while ((next = Array.IndexOf(_pending, true)) < 0 && !_stopped)
                {
                    Monitor.Wait(_lock);
                }

                if (_stopped)
                {
                    return;
                }

                vector = (byte)next;
                _pending[next] = false;
            }

            var handler = _guest.HandlerFor(vector);
            if (handler is null || _guest.Domain.IsShutDown)
            {
                continue;
            }

            Interlocked.Increment(ref Delivered);
            _guest.RunOnVcpu(Id, () =>
            {
                try
                {
                    handler(Id);
                }
                catch (Exception e)
                {
                    _guest.Domain.RecordInterruptFault(e);
                }
            });

            if (StillAsserted?.Invoke(Id, vector) == true)
            {
                Thread.Yield();
                Raise(vector);
            }
        }
    }

    /// <summary>Stops the interrupt context.</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            _stopped = true;
            Monitor.Pulse(_lock);
        }

        if (Thread.CurrentThread != _thread)
        {
            _thread.Join();
        }
    }
}
