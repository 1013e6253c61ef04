using Xen.Nexus.Events;
using Xen.Nexus.Tests.Support;

namespace Xen.Nexus.Tests;

/// <summary>
/// The 2-level upcall claims every ready port of a 64-port word at once and unmasks them after the word's last
/// handler: a port masked or closed by an earlier handler of the same word must still not run, and a handler that
/// throws must lose no event of the ports after it. Upcalls run on the test thread (the vector's handler removed).
/// </summary>
public sealed class EventWordTests
{
    [Fact]
    public void A_port_masked_by_an_earlier_handler_of_its_word_keeps_its_event_until_unmasked()
    {
        using var sim = new NexusSimulation();
        using var nexus = sim.AttachGuest(EventChannelAbiKind.TwoLevel);
        var events = nexus.EventChannels!;
        var later = 0;
        uint second = 0;
        var first = events.BindIpi(0, (_, _) => events.Mask(second));
        second = events.BindIpi(0, (_, _) => later++);
        Assert.Equal(first / 64, second / 64); // the same word, the masking port scanned first
        Assert.True(first < second);
        TakeUpcalls(sim, nexus);

        events.Send(first);
        events.Send(second);
        events.Upcall(0);
        Assert.Equal(0, later);
        Assert.True(events.IsPending(second));

        events.Unmask(second);
        events.Upcall(0);
        Assert.Equal(1, later);
        Assert.False(events.IsPending(second));
    }

    [Fact]
    public void A_throwing_handler_loses_no_event_of_the_ports_or_words_after_it_and_is_served_again()
    {
        using var sim = new NexusSimulation();
        using var nexus = sim.AttachGuest(EventChannelAbiKind.TwoLevel);
        var events = nexus.EventChannels!;
        const int Ports = 70; // two words
        var counts = new int[Ports];
        var ports = new uint[Ports];
        var throwing = 0;
        for (var i = 0; i < Ports; i++)
        {
            var index = i;
            ports[i] = events.BindIpi(0, (_, _) =>
            {
                counts[index]++;
                if (index == 0 && throwing++ == 0)
                    throw new InvalidOperationException("the first event of the first port");
            });
        }
        Assert.NotEqual(ports[0] / 64, ports[^1] / 64);
        TakeUpcalls(sim, nexus);

        foreach (var port in ports)
            events.Send(port);
        Assert.Throws<InvalidOperationException>(() => events.Upcall(0));
        events.Upcall(0); // what the thrower's upcall had not served is still pending, unmasked and raised
        Assert.All(counts, count => Assert.Equal(1, count));

        foreach (var port in ports)
            events.Send(port);
        events.Upcall(0);
        Assert.All(counts, count => Assert.Equal(2, count));
        Assert.All(ports, port => Assert.False(events.IsPending(port)));
    }

    [Fact]
    public void A_port_closed_by_an_earlier_handler_of_its_word_is_not_served()
    {
        using var sim = new NexusSimulation();
        using var nexus = sim.AttachGuest(EventChannelAbiKind.TwoLevel);
        var events = nexus.EventChannels!;
        var closedRan = 0;
        uint second = 0;
        var first = events.BindIpi(0, (_, _) => events.Close(second));
        second = events.BindIpi(0, (_, _) => closedRan++);
        TakeUpcalls(sim, nexus);

        events.Send(first);
        events.Send(second);
        events.Upcall(0);
        Assert.Equal(0, closedRan);
        Assert.Throws<ArgumentException>(() => events.IsPending(second));
    }

    /// <summary>This thread is vCPU 0's upcall from now on: the simulator's interrupt context drops the vector.</summary>
    private static void TakeUpcalls(NexusSimulation sim, XenNexus nexus)
    {
        sim.GuestMachine.ClearInterruptHandler(nexus.CallbackVector!.Value); // nothing was sent before, so no upcall runs there
        nexus.EventChannels!.Upcall(0);
    }
}
