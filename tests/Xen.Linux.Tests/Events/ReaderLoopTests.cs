using System.Collections.Concurrent;
using Xen.Linux.Events;

namespace Xen.Linux.Tests.Events;

/// <summary>The event channel service's reader loop: handlers run with the port masked, once per notification batch.</summary>
public sealed class ReaderLoopTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Fact]
    public void A_handler_runs_with_its_port_masked_and_the_port_is_unmasked_after()
    {
        var ports = new FakeEvtchnPorts();
        using var service = new LinuxEventChannelService(ports);
        var maskedDuring = new BlockingCollection<bool>();
        uint port = service.BindInterdomain(1, 5, p => maskedDuring.Add(ports.IsMasked(p)));
        ports.Fire(port);
        Assert.True(maskedDuring.TryTake(out var masked, Wait));
        Assert.True(masked);
        Assert.True(SpinWait.SpinUntil(() => !ports.IsMasked(port), Wait));
    }

    [Fact]
    public void A_notification_while_the_handler_runs_runs_it_once_more_and_never_concurrently()
    {
        var ports = new FakeEvtchnPorts();
        using var service = new LinuxEventChannelService(ports);
        int running = 0, overlaps = 0, runs = 0;
        using var first = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        uint port = service.AllocUnbound(1, _ =>
        {
            if (Interlocked.Increment(ref running) > 1) Interlocked.Increment(ref overlaps);
            if (Interlocked.Increment(ref runs) == 1)
            {
                first.Set();
                release.Wait(Wait);
            }
            Interlocked.Decrement(ref running);
        });
        ports.Fire(port);
        Assert.True(first.Wait(Wait));
        ports.Fire(port);
        ports.Fire(port);
        release.Set();
        Assert.True(SpinWait.SpinUntil(() => Volatile.Read(ref runs) == 2 && !ports.IsMasked(port), Wait));
        Thread.Sleep(200);
        Assert.Equal(2, Volatile.Read(ref runs));
        Assert.Equal(0, overlaps);
    }

    [Fact]
    public void A_port_that_fires_before_its_bind_returns_finds_its_handler()
    {
        var ports = new FakeEvtchnPorts();
        using var service = new LinuxEventChannelService(ports);
        ports.DuringBind = p =>
        {
            ports.Fire(p);
            Thread.Sleep(50); // the reader has read the port by now, and waits for the bind to finish
        };
        using var ran = new ManualResetEventSlim();
        uint port = service.BindVirq(3, _ => ran.Set());
        Assert.True(ran.Wait(Wait));
        Assert.True(SpinWait.SpinUntil(() => !ports.IsMasked(port), Wait));
    }

    [Fact]
    public void A_throwing_handler_is_logged_and_its_port_still_unmasked()
    {
        var ports = new FakeEvtchnPorts();
        var log = new ConcurrentQueue<string>();
        using var service = new LinuxEventChannelService(ports, log.Enqueue);
        uint port = service.BindInterdomain(2, 7, _ => throw new InvalidOperationException("bad handler"));
        ports.Fire(port);
        Assert.True(SpinWait.SpinUntil(() => log.Any(l => l.Contains($"port {port} threw: bad handler")), Wait));
        Assert.True(SpinWait.SpinUntil(() => !ports.IsMasked(port), Wait));
        using var ran = new ManualResetEventSlim();
        uint other = service.BindInterdomain(2, 8, _ => ran.Set());
        ports.Fire(other);
        Assert.True(ran.Wait(Wait));
    }

    [Fact]
    public void An_overflow_resets_the_ring_and_runs_every_handler_once()
    {
        var ports = new FakeEvtchnPorts();
        var log = new ConcurrentQueue<string>();
        using var service = new LinuxEventChannelService(ports, log.Enqueue);
        int a = 0, b = 0;
        uint pa = service.AllocUnbound(1, _ => Interlocked.Increment(ref a));
        uint pb = service.AllocUnbound(1, _ => Interlocked.Increment(ref b));
        ports.Overflow();
        Assert.True(SpinWait.SpinUntil(() => Volatile.Read(ref a) == 1 && Volatile.Read(ref b) == 1, Wait));
        Assert.Contains("reset", ports.Calls);
        Assert.Contains(log, l => l.Contains("overflowed"));
        Assert.True(SpinWait.SpinUntil(() => ports.Calls.Contains($"unmask {pa}") && ports.Calls.Contains($"unmask {pb}"), Wait));
    }

    [Fact]
    public void A_closed_port_is_unbound_and_its_handler_never_runs_again()
    {
        var ports = new FakeEvtchnPorts();
        using var service = new LinuxEventChannelService(ports);
        int runs = 0;
        uint port = service.BindInterdomain(1, 5, _ => Interlocked.Increment(ref runs));
        service.Close(port);
        ports.Fire(port);
        Thread.Sleep(200);
        Assert.Equal(0, runs);
        Assert.Contains($"unbind {port}", ports.Calls);
        Assert.Throws<ArgumentException>(() => service.Close(port));
    }

    [Fact]
    public void Dispose_stops_the_reader_and_closes_the_device()
    {
        var ports = new FakeEvtchnPorts();
        var service = new LinuxEventChannelService(ports);
        service.AllocUnbound(1, _ => { });
        service.Dispose();
        Assert.Contains("close", ports.Calls);
        Assert.Throws<ObjectDisposedException>(() => service.AllocUnbound(1, _ => { }));
    }
}
