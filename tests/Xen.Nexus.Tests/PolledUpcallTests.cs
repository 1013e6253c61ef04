using System.Diagnostics;
using Xen.Nexus.Events;
using Xen.Nexus.Tests.Support;

namespace Xen.Nexus.Tests;

/// <summary>
/// A Xen that does not offer <c>XENFEAT_hvm_callback_vector</c>: no vector is set, the log names the missing
/// feature, and the upcall is polled, so events of ports on both vCPUs still reach their handlers, one handler run
/// per event, none while the port is masked.
/// </summary>
public sealed class PolledUpcallTests
{
    private const int EventsPerPort = 100;
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    [Theory]
    [InlineData(EventChannelAbiKind.TwoLevel)]
    [InlineData(EventChannelAbiKind.Fifo)]
    public void Without_a_callback_vector_the_upcall_is_polled_and_every_event_is_delivered(EventChannelAbiKind kind)
    {
        using var sim = new NexusSimulation();
        sim.Guest.Features &= ~(1u << Xen.Abi.Features.XenfeatHvmCallbackVector);
        using var guest = sim.AttachGuest(kind);
        using var dom0 = sim.AttachDom0(kind);

        Assert.Null(guest.CallbackVector);
        Assert.Empty(sim.GuestMachine.Vectors);
        Assert.Equal(0ul, sim.Guest.GetHvmParam(Xen.Abi.Hvm.Params.HvmParamCallbackIrq));
        Assert.Equal(TimeSpan.FromMilliseconds(1), guest.UpcallPollInterval);
        Assert.Contains("xen0: no callback vector (XENFEAT_hvm_callback_vector not offered), events polled every 1 ms", sim.Log);

        var events = guest.EventChannels!;
        var handled = new long[2];
        var maskedRuns = 0;
        var wrongVcpu = 0;
        var boundTo = new int[2]; // both start on vCPU 0
        var masked = new bool[2];
        var remote = new uint[2];
        var local = new uint[2];
        for (var i = 0; i < 2; i++)
        {
            var index = i;
            remote[i] = dom0.EventChannels!.AllocUnbound(sim.Guest.DomainId, static (_, _) => { });
            local[i] = events.BindInterdomain(0, remote[i], (_, vcpu) =>
            {
                if (Volatile.Read(ref masked[index])) Interlocked.Increment(ref maskedRuns);
                if (vcpu != Volatile.Read(ref boundTo[index])) Interlocked.Increment(ref wrongVcpu);
                Interlocked.Increment(ref handled[index]);
            });
            // Xen sets a port pending when it binds it (the peer may have signalled before): served on vCPU 0.
            WaitFor(() => Interlocked.Read(ref handled[index]) == 1, $"the bind-time event of port {local[i]}");
        }
        Volatile.Write(ref boundTo[1], 1);
        events.BindVcpu(local[1], 1);

        for (var n = 1; n <= EventsPerPort; n++)
        {
            for (var i = 0; i < 2; i++)
            {
                Send(sim, dom0, remote[i]);
                WaitFor(() => Interlocked.Read(ref handled[i]) == 1 + n, $"event {n} of port {local[i]}");
            }
        }

        // Masked: the event stays pending and no handler runs until unmask.
        Volatile.Write(ref masked[0], true);
        events.Mask(local[0]);
        Send(sim, dom0, remote[0]);
        Thread.Sleep(50);
        Assert.Equal(1 + EventsPerPort, Interlocked.Read(ref handled[0]));
        Assert.True(events.IsPending(local[0]));
        Volatile.Write(ref masked[0], false);
        events.Unmask(local[0]);
        WaitFor(() => Interlocked.Read(ref handled[0]) == 2 + EventsPerPort, "the masked event after unmask");
        Assert.Equal(0, maskedRuns);
        Assert.Equal(0, wrongVcpu);
        Assert.Empty(sim.Guest.InterruptFaults);

        guest.Dispose();
        Assert.Null(guest.UpcallPollInterval);
    }

    [Fact]
    public void With_a_callback_vector_nothing_is_polled()
    {
        using var sim = new NexusSimulation();
        using var guest = sim.AttachGuest();
        Assert.NotNull(guest.CallbackVector);
        Assert.Null(guest.UpcallPollInterval);
        Assert.DoesNotContain(sim.Log, l => l.Contains("polled", StringComparison.Ordinal));
    }

    private static void Send(NexusSimulation sim, XenNexus dom0, uint port)
        => sim.Xen.Dom0.Guest.RunOnVcpu(0, () => dom0.EventChannels!.Send(port));

    private static void WaitFor(Func<bool> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < Bound, $"{what} not handled in {Bound.TotalSeconds} s");
            Thread.Sleep(1);
        }
    }
}
