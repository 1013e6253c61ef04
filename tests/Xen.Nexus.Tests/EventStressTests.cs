using System.Diagnostics;
using Xen.Nexus.Events;
using Xen.Nexus.Tests.Support;

namespace Xen.Nexus.Tests;

/// <summary>
/// Many interdomain ports (several per 64-port word), two dom0 sender threads, a flooding port sharing a word with
/// quiet ones, ports masked and unmasked meanwhile, ports spread over two vCPUs: every send is followed by a
/// handler that sees it, no handler runs while its port is masked, and the flood starves no one.
/// </summary>
public sealed class EventStressTests
{
    private const int Ports = 96;
    private const int SendsPerThread = 300_000;

    [Theory]
    [InlineData(EventChannelAbiKind.TwoLevel)]
    [InlineData(EventChannelAbiKind.Fifo)]
    public void No_event_is_lost_none_is_delivered_while_masked_and_a_flood_starves_no_one(EventChannelAbiKind kind)
    {
        using var sim = new NexusSimulation();
        using var guest = sim.AttachGuest(kind);
        using var dom0 = sim.AttachDom0(kind);
        var events = guest.EventChannels!;
        var sent = new long[Ports];
        var observed = new long[Ports];
        var handled = new long[Ports];
        var masked = new int[Ports];
        long violations = 0;
        var local = new uint[Ports];
        var remote = new uint[Ports];
        var byLocal = new Dictionary<uint, int>();
        for (var i = 0; i < Ports; i++)
        {
            remote[i] = dom0.EventChannels!.AllocUnbound(sim.Guest.DomainId, static (_, _) => { });
            var index = i;
            local[i] = events.BindInterdomain(0, remote[i], (port, vcpu) =>
            {
                if (Volatile.Read(ref masked[index]) != 0)
                    Interlocked.Increment(ref violations);
                Interlocked.Increment(ref handled[index]);
                var seen = Volatile.Read(ref sent[index]);
                if (seen > Volatile.Read(ref observed[index]))
                    Volatile.Write(ref observed[index], seen);
            });
            if (i % 2 == 1)
                events.BindVcpu(local[i], 1);
        }
        const int flood = 0; // shares its word with the quiet ports 1..63
        using var stop = new CancellationTokenSource();
        var done = new CountdownEvent(2);
        void Sender(int first)
        {
            sim.Xen.Dom0.Guest.RunOnVcpu(0, () =>
            {
                var rng = new Random(first);
                for (var n = 0; n < SendsPerThread; n++)
                {
                    var i = n % 4 == 0 ? flood : 1 + ((first + rng.Next(Ports - 1)) % (Ports - 1));
                    Interlocked.Increment(ref sent[i]);
                    dom0.EventChannels!.Send(remote[i]);
                }
            });
            done.Signal();
        }
        var floodThread = new Thread(() => sim.Xen.Dom0.Guest.RunOnVcpu(0, () =>
        {
            while (!stop.IsCancellationRequested)
            {
                Interlocked.Increment(ref sent[flood]);
                dom0.EventChannels!.Send(remote[flood]);
            }
        }));
        var masker = new Thread(() =>
        {
            var rng = new Random(7);
            while (!done.IsSet)
            {
                var i = 1 + rng.Next(Ports - 1);
                events.Mask(local[i]);
                Volatile.Write(ref masked[i], 1);
                Thread.SpinWait(2000);
                Volatile.Write(ref masked[i], 0);
                events.Unmask(local[i]);
            }
        });
        var clock = Stopwatch.StartNew();
        floodThread.Start();
        masker.Start();
        var senders = new[] { new Thread(() => Sender(0)), new Thread(() => Sender(1)) };
        foreach (var t in senders) t.Start();
        foreach (var t in senders) t.Join();
        masker.Join();
        // The quiet ports must all catch up while the flood goes on.
        var caughtUp = SpinWait.SpinUntil(() => Enumerable.Range(1, Ports - 1).All(i => Volatile.Read(ref observed[i]) == Volatile.Read(ref sent[i])), TimeSpan.FromSeconds(15));
        stop.Cancel();
        floodThread.Join();
        var floodCaughtUp = SpinWait.SpinUntil(() => Volatile.Read(ref observed[flood]) == Volatile.Read(ref sent[flood]), TimeSpan.FromSeconds(5));
        var lost = Enumerable.Range(0, Ports).Where(i => observed[i] != sent[i]).Select(i => $"{i}: sent {sent[i]}, saw {observed[i]}").ToArray();
        Assert.True(caughtUp && floodCaughtUp, $"lost under the flood ({kind}, {clock.Elapsed}): {string.Join("; ", lost)}");
        Assert.Equal(0, Interlocked.Read(ref violations));
        Assert.All(Enumerable.Range(0, Ports), i => Assert.True(handled[i] > 0, $"port {i} never served"));
        Assert.True(sent.Sum() >= 2 * SendsPerThread);
        Assert.Empty(sim.Guest.InterruptFaults);
    }

    [Theory]
    [InlineData(EventChannelAbiKind.TwoLevel)]
    [InlineData(EventChannelAbiKind.Fifo)]
    public void A_masked_port_keeps_its_event_pending_and_gets_it_on_unmask(EventChannelAbiKind kind)
    {
        using var sim = new NexusSimulation();
        using var guest = sim.AttachGuest(kind);
        using var dom0 = sim.AttachDom0(kind);
        var fired = new SemaphoreSlim(0);
        var remote = dom0.EventChannels!.AllocUnbound(sim.Guest.DomainId, static (_, _) => { });
        var port = guest.EventChannels!.BindInterdomain(0, remote, (_, _) => fired.Release());
        Assert.True(fired.Wait(5000)); // bind_interdomain sets the new port pending, as Xen does
        guest.EventChannels.Mask(port);
        sim.Xen.Dom0.Guest.RunOnVcpu(0, () => dom0.EventChannels.Send(remote));
        Assert.False(fired.Wait(200));
        Assert.True(guest.EventChannels.IsPending(port));
        guest.EventChannels.Unmask(port);
        Assert.True(fired.Wait(5000));
        guest.EventChannels.Close(port);
    }

    [Theory]
    [InlineData(EventChannelAbiKind.TwoLevel)]
    [InlineData(EventChannelAbiKind.Fifo)]
    public void VIRQ_and_IPI_ports_are_served_on_their_vCPU(EventChannelAbiKind kind)
    {
        using var sim = new NexusSimulation();
        using var guest = sim.AttachGuest(kind);
        var events = guest.EventChannels!;
        var virqOn = -1;
        var ipiOn = -1;
        using var gotVirq = new ManualResetEventSlim();
        using var gotIpi = new ManualResetEventSlim();
        var virqPort = sim.Guest.Guest.RunOnVcpu(1, () => events.BindVirq(XenH.VirqDebug, 1, (_, v) => { virqOn = v; gotVirq.Set(); }));
        var ipiPort = events.BindIpi(1, (_, v) => { ipiOn = v; gotIpi.Set(); });
        Assert.True(sim.Guest.RaiseVirq(XenH.VirqDebug, 1));
        Assert.True(gotVirq.Wait(5000));
        events.Send(ipiPort);
        Assert.True(gotIpi.Wait(5000));
        Assert.Equal(1, virqOn);
        Assert.Equal(1, ipiOn);
        Assert.NotEqual(virqPort, ipiPort);
    }

    [Fact]
    public void A_refused_bind_names_the_operation_and_errno()
    {
        using var sim = new NexusSimulation();
        using var guest = sim.AttachGuest();
        var e = Assert.Throws<Hypercalls.XenHypercallException>(() => guest.EventChannels!.BindInterdomain(0, 4000, static (_, _) => { }));
        Assert.StartsWith("EVTCHNOP_bind_interdomain: XEN_E", e.Message);
    }
}
