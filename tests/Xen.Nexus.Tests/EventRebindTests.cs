using Xen.Nexus.Events;
using Xen.Nexus.Tests.Support;

namespace Xen.Nexus.Tests;

/// <summary>
/// A port moved between vCPUs with <c>EVTCHNOP_bind_vcpu</c> while both scan: Xen may raise it on the new vCPU
/// while the old one's scan still holds it in its snapshot. Its handler never runs twice at once and no event is lost.
/// </summary>
public sealed class EventRebindTests
{
    [Theory]
    [InlineData(EventChannelAbiKind.TwoLevel)]
    [InlineData(EventChannelAbiKind.Fifo)]
    public void A_port_rebound_while_flooded_is_never_handled_twice_at_once(EventChannelAbiKind kind)
    {
        using var sim = new NexusSimulation();
        using var guest = sim.AttachGuest(kind);
        using var dom0 = sim.AttachDom0(kind);
        var events = guest.EventChannels!;
        long sent = 0, observed = 0, inside = 0, overlaps = 0;
        var remote = dom0.EventChannels!.AllocUnbound(sim.Guest.DomainId, static (_, _) => { });
        var local = events.BindInterdomain(0, remote, (_, _) =>
        {
            if (Interlocked.Increment(ref inside) > 1)
                Interlocked.Increment(ref overlaps);
            Thread.SpinWait(50); // widen the window a second vCPU would need
            var seen = Volatile.Read(ref sent);
            if (seen > Volatile.Read(ref observed))
                Volatile.Write(ref observed, seen);
            Interlocked.Decrement(ref inside);
        });
        using var stop = new CancellationTokenSource();
        var sender = new Thread(() => sim.Xen.Dom0.Guest.RunOnVcpu(0, () =>
        {
            for (var n = 0; n < 200_000 && !stop.IsCancellationRequested; n++)
            {
                Interlocked.Increment(ref sent);
                dom0.EventChannels!.Send(remote);
            }
        }));
        sender.Start();
        var moves = 0;
        while (sender.IsAlive && moves < 20_000)
        {
            events.BindVcpu(local, ++moves % 2);
            Thread.SpinWait(200);
        }
        stop.Cancel();
        sender.Join();
        Assert.True(SpinWait.SpinUntil(() => Volatile.Read(ref observed) == Volatile.Read(ref sent), TimeSpan.FromSeconds(10)),
            $"sent {sent}, the handler saw up to {observed} ({kind}, {moves} moves)");
        Assert.Equal(0, Interlocked.Read(ref overlaps));
        Assert.True(moves > 100, $"only {moves} moves happened while sending");
        Assert.Empty(sim.Guest.InterruptFaults);
    }
}
