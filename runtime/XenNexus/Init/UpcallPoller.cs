using Xen.Nexus.Events;

namespace Xen.Nexus.Init;

/// <summary>
/// Drives the upcall when Xen offers no callback vector: a thread looks at every vCPU's
/// <c>evtchn_upcall_pending</c> once per interval and runs <see cref="EventChannels.Upcall"/> for those set, as the
/// vector's handler would. Events are delivered within about one interval; nothing is read while no event is pending
/// but the vcpu_info flags.
/// </summary>
internal sealed unsafe class UpcallPoller : IDisposable
{
    private readonly EventChannels events;
    private readonly int vcpus;
    private readonly TimeSpan interval;
    private readonly Action<string> log;
    private readonly ManualResetEventSlim stop = new();
    private readonly Thread thread;

    public UpcallPoller(EventChannels events, int vcpus, TimeSpan interval, Action<string> log)
    {
        if (interval <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(interval), interval, "NexusOptions.UpcallPollInterval must be positive");
        this.events = events;
        this.vcpus = vcpus;
        this.interval = interval;
        this.log = log;
        thread = new Thread(Run) { IsBackground = true, Name = "xen upcall poll" };
        thread.Start();
    }

    private void Run()
    {
        while (!stop.Wait(interval))
        {
            for (var vcpu = 0; vcpu < vcpus; vcpu++)
            {
                if (Volatile.Read(ref events.VcpuInfos[vcpu]->EvtchnUpcallPending) == 0)
                    continue;
                try
                {
                    events.Upcall(vcpu);
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    // A handler's exception: its port is unmasked again by the upcall and served on a later round.
                    log($"upcall on vCPU {vcpu}: {e.Message}");
                }
            }
        }
    }

    /// <summary>Stops the thread and waits for a running upcall to return.</summary>
    public void Dispose()
    {
        stop.Set();
        if (Thread.CurrentThread != thread)
            thread.Join();
        stop.Dispose();
    }
}
