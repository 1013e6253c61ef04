using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Xen.Abi;
using Xen.Nexus.Init;
using Xen.Nexus.Events;
using Xen.Simulator;

namespace XenGen.Bench.Events;

/// <summary>One measurement: the timed nanoseconds of a run, the events (or grants) in it, bytes allocated meanwhile (C: 0).</summary>
public readonly record struct Measure(long Nanoseconds, long Operations, long Allocated)
{
    public double PerSecond => Operations * 1e9 / Nanoseconds;
}

/// <summary>Latencies of one run, in nanoseconds, sorted.</summary>
public readonly record struct Latencies(long[] Sorted)
{
    public long Percentile(double p) => Sorted[Math.Min(Sorted.Length - 1, (int)(p * Sorted.Length))];
}

/// <summary>
/// A simulated Xen with one guest of two vCPUs whose nexus is attached with one event channel ABI and has
/// N IPI ports bound to vCPU 0, each counting its events in a native array; for the
/// 2-level ABI also evtchn_2l.c's context over the same shared_info and vCPU 0's vcpu_info, with the same ports
/// bound, counting into the same array. Both sides are fed by the same sender: <c>EVTCHNOP_send</c> on the
/// ports, through the nexus's hypercall plumbing into the simulator's event_2l/event_fifo code.
/// </summary>
public sealed unsafe class EventBed : IDisposable
{
    private const int Vcpu = 0;
    private readonly SimulatedXen xen;
    private readonly SimulatedDomain domain;
    private readonly XenNexus nexus;
    private readonly EventChannels events;
    private readonly NativeScan? native;
    private readonly nint context;
    private readonly byte vector;
    private readonly Counter counter;
    private readonly ulong* counts;
    private readonly long* stamps;
    private Action<int>? callback; // what the callback vector runs now (null: nothing)
    private int callbacksRunning;

    public EventBed(EventChannelAbiKind abi, int ports, NativeScan? native)
    {
        xen = new SimulatedXen(new SimulatedXenOptions { OfferFifoEventChannels = true });
        domain = xen.CreateDomain(new DomainConfiguration { Vcpus = 2, MemoryFrames = 4096, MaxEventChannelPort = 4095 });
        nexus = XenNexus.Attach(domain.Guest, new NexusOptions { EventChannelAbi = abi });
        events = nexus.EventChannels!;
        vector = nexus.CallbackVector!.Value;
        var size = (nuint)(sizeof(ulong) * events.MaxPorts);
        counts = (ulong*)NativeMemory.AllocZeroed(size);
        stamps = (long*)NativeMemory.AllocZeroed(size);
        counter = new Counter(counts, stamps);
        Ports = new uint[ports];
        EventChannelHandler handler = counter.Handle;
        for (var i = 0; i < ports; i++)
            Ports[i] = events.BindIpi(Vcpu, handler);
        this.native = native;
        if (native is not null && abi == EventChannelAbiKind.TwoLevel)
        {
            context = native.Create(nexus.SharedInfo, events.VcpuInfos[Vcpu], counts, stamps);
            if (context == 0)
                throw new InvalidOperationException("evtchn_2l_create failed");
            foreach (var port in Ports)
                if (native.Bind(context, port) != 0)
                    throw new InvalidOperationException($"evtchn_2l_bind {port} failed");
        }
        Abi = events.Abi;
        // The vector's handler for the rest of the bed's life: it runs whichever upcall a run chose, and lets a run
        // that takes the upcall into its own thread wait until none is running in the interrupt context.
        callback = NexusUpcall;
        nexus.Hypervisor.SetInterruptHandler(vector, OnCallback);
    }

    private void OnCallback(int vcpu)
    {
        Interlocked.Increment(ref callbacksRunning);
        try
        {
            Volatile.Read(ref callback)?.Invoke(vcpu);
        }
        finally
        {
            Interlocked.Decrement(ref callbacksRunning);
        }
    }

    /// <summary>
    /// Sets what the callback vector runs. With null the vector's handler is removed too (the simulator drops the
    /// interrupt instead of re-raising it while upcall_pending is set), and this waits until no callback runs, so
    /// that the bench thread's upcall never overlaps one in the interrupt context (two upcalls of one vCPU never
    /// overlap on Xen).
    /// </summary>
    private void UseCallback(Action<int>? next)
    {
        Interlocked.Exchange(ref callback, next); // a full fence: the count below is read after it
        if (next is not null)
        {
            nexus.Hypervisor.SetInterruptHandler(vector, OnCallback);
            return;
        }
        nexus.Hypervisor.ClearInterruptHandler(vector);
        var spin = new SpinWait();
        while (Volatile.Read(ref callbacksRunning) != 0)
            spin.SpinOnce();
    }

    public EventChannelAbiKind Abi { get; }

    /// <summary>The bound ports, lowest first (the simulator gives the lowest free port).</summary>
    public uint[] Ports { get; }

    public XenNexus Nexus => nexus;

    public SimulatedDomain Domain => domain;

    /// <summary>Events counted on <paramref name="port"/> by either side's handler.</summary>
    public ulong Count(uint port) => Volatile.Read(ref counts[port]);

    /// <summary>
    /// Events per second through the upcall called in this thread, the callback vector's handler removed so that
    /// the simulator's interrupt context takes no part (the interrupt it raises finds no handler and is dropped).
    /// Each round sends one event to each bound port in <paramref name="order"/> (untimed), then calls the upcall
    /// (timed, bracketed by two timestamps) until every port's event is handled; the run's time comes from its rounds'
    /// times by <see cref="RoundTimes"/>. Bytes this thread allocated inside the brackets are summed.
    /// </summary>
    public Measure Throughput(bool useC, bool maskAround, long events, uint[] order)
    {
        UseCallback(null);
        try
        {
            counter.Stamping = false;
            if (useC)
                native!.SetMode(context, 0, maskAround ? 1 : 0);
            Drain(useC);
            var rounds = Math.Max(1, events / order.Length);
            var roundTicks = new long[rounds]; // allocated before any timed bracket
            long allocated = 0, handled = 0;
            ulong before = Total();
            for (long r = 0; r < rounds; r++)
            {
                foreach (var port in order)
                    this.events.Send(port);
                long bytes = GC.GetAllocatedBytesForCurrentThread();
                long start = Stopwatch.GetTimestamp();
                if (useC)
                    native!.Upcall(context);
                else
                    this.events.Upcall(Vcpu);
                long end = Stopwatch.GetTimestamp();
                allocated += GC.GetAllocatedBytesForCurrentThread() - bytes;
                roundTicks[r] = end - start;
            }
            handled = (long)(Total() - before);
            if (handled != rounds * order.Length)
                throw new InvalidOperationException($"{(useC ? "C" : "C#")} handled {handled} of {rounds * order.Length} events");
            // Both sides reduced alike: the interquartile mean of the rounds stands for every round.
            return new Measure(RoundTimes.Nanoseconds(roundTicks), handled, allocated);
        }
        finally
        {
            UseCallback(NexusUpcall);
        }
    }

    /// <summary>
    /// Notify-to-handler latency through the simulator's delivery: this thread, as vCPU 1, takes a timestamp and
    /// sends an event to the next port of <paramref name="order"/> (<c>EVTCHNOP_send</c>: pending, selector,
    /// upcall_pending, the callback vector raised on vCPU 0); vCPU 0's interrupt context runs the callback handler
    /// (the nexus's upcall, or evtchn_2l.c's), whose port handler takes a timestamp (CLOCK_MONOTONIC in both) and
    /// counts; the sender waits for the count before the next send. The latency is the handler's timestamp minus the sender's.
    /// </summary>
    public Latencies Latency(bool useC, int samples, uint[] order)
    {
        if (Stopwatch.Frequency != 1_000_000_000)
            throw new InvalidOperationException("Stopwatch is not CLOCK_MONOTONIC in nanoseconds here; the C and C# stamps would not compare");
        counter.Stamping = true;
        if (useC)
        {
            native!.SetMode(context, 1, 0);
            var upcall = native.Upcall;
            var ctx = context;
            UseCallback(_ => upcall(ctx));
        }
        else
        {
            UseCallback(NexusUpcall);
        }
        try
        {
            var result = new long[samples];
            domain.Guest.RunOnVcpu(1, () =>
            {
                for (var s = 0; s < samples; s++)
                {
                    var port = order[s % order.Length];
                    var seen = Volatile.Read(ref counts[port]);
                    long start = Stopwatch.GetTimestamp();
                    events.Send(port);
                    var spin = new SpinWait();
                    var clock = Stopwatch.StartNew();
                    while (Volatile.Read(ref counts[port]) == seen)
                    {
                        spin.SpinOnce(sleep1Threshold: -1);
                        if (clock.ElapsedMilliseconds > 10_000)
                            throw new TimeoutException($"port {port}: no handler within 10 s ({(useC ? "C" : "C#")})");
                    }
                    result[s] = Volatile.Read(ref stamps[port]) - start;
                }
            });
            Array.Sort(result);
            return new Latencies(result);
        }
        finally
        {
            counter.Stamping = false;
            if (useC)
                native!.SetMode(context, 0, 0);
            UseCallback(NexusUpcall);
        }
    }

    private void NexusUpcall(int vcpu) => events.Upcall(vcpu);

    /// <summary>Serves whatever is pending (the binding leaves nothing, but a run may be the first after a latency run).</summary>
    private void Drain(bool useC)
    {
        if (useC)
            native!.Upcall(context);
        else
            events.Upcall(Vcpu);
    }

    private ulong Total()
    {
        ulong total = 0;
        foreach (var port in Ports)
            total += counts[port];
        return total;
    }

    public void Dispose()
    {
        if (context != 0)
            native!.Destroy(context);
        nexus.Dispose();
        xen.Dispose();
        NativeMemory.Free(counts);
        NativeMemory.Free(stamps);
    }

    /// <summary>
    /// The C# handler, the same work as evtchn_2l.c's count_event: count the port's event; when stamping, note the
    /// time first and publish the count with a release store.
    /// </summary>
    private sealed class Counter(ulong* counts, long* stamps)
    {
        public bool Stamping;

        public void Handle(uint port, int vcpu)
        {
            if (Stamping)
                Stamp(port);
            else
                counts[port]++;
        }

        // Out of line, so that the counting path saves no registers for the clock call; evtchn_2l.c's count_event
        // has the same shape (its stamp_event is noinline).
        [MethodImpl(MethodImplOptions.NoInlining)]
        private void Stamp(uint port)
        {
            stamps[port] = Stopwatch.GetTimestamp();
            Volatile.Write(ref counts[port], counts[port] + 1);
        }
    }
}
