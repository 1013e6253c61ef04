using System.Diagnostics;
using Xen.XenStore.Client.Transports;

namespace Xen.Simulator.Dom0.Tests;

/// <summary>
/// The guest's XenStore client waits on the store's event channel instead of polling its ring: over an idle window
/// the transport reads the <c>rsp</c> ring not once, between the xenstore and unmask steps of init (where OpenBSD's
/// xen(4) polls while cold) or after init. The window starts once the reads have stopped for a while, so a late
/// notification of the last request does not count; a polling client never stops, and fails at the window.
/// </summary>
public sealed class StoreRingWaitTests
{
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan SettleAtMost = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan Window = TimeSpan.FromMilliseconds(500);

    [Fact]
    public async Task An_idle_store_ring_is_not_read_during_init_or_after_it()
    {
        using var sim = new GuestOnDom0();
        long duringInit = -1;
        var options = new NexusOptions { Log = sim.Record };
        // A step of the probe phase runs after the xenstore step and before the unmask step.
        options.Add(NexusPhase.Probe, new IdleWindowStep(() => duringInit = IdleReads(sim.Phases!.Store!.Transport)));
        sim.Boot(options);

        Assert.False(sim.Phases!.XenStore.Polled);
        Assert.Equal(0, duringInit);
        Assert.Equal(0, IdleReads(sim.Phases.Store!.Transport));
        // Still woken by its event channel: a request is answered.
        Assert.Equal("guest", await sim.Phases.Store.Client.ReadStringAsync("name").WaitAsync(TimeSpan.FromSeconds(10)));
    }

    /// <summary>The reads of <paramref name="transport"/> in <see cref="Window"/>, once none came for <see cref="Quiet"/> (waiting at most <see cref="SettleAtMost"/>).</summary>
    private static long IdleReads(XsRingTransport transport)
    {
        var settling = Stopwatch.StartNew();
        var last = transport.RingReads;
        var quietSince = Stopwatch.StartNew();
        while (quietSince.Elapsed < Quiet && settling.Elapsed < SettleAtMost)
        {
            Thread.Sleep(10);
            var now = transport.RingReads;
            if (now != last)
            {
                last = now;
                quietSince.Restart();
            }
        }
        var before = transport.RingReads;
        Thread.Sleep(Window);
        return transport.RingReads - before;
    }

    private sealed class IdleWindowStep(Action run) : INexusInitStep
    {
        public string Name => "idle window";

        public void Attach(XenNexus nexus) => run();

        public void Detach(XenNexus nexus)
        {
        }
    }
}
