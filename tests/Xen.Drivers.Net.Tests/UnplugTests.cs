namespace Xen.Drivers.Net.Tests;

/// <summary>The toolstack removes the vif while frames flow both ways: both ends close, every send returns, nothing crashes.</summary>
public sealed class UnplugTests
{
    [Fact]
    public async Task Unplug_during_traffic_closes_both_ends_cleanly()
    {
        using var env = new NetworkOnDom0();
        var (front, back) = await env.ConnectAsync();
        long received = 0;
        front.Received = (_, _) => Interlocked.Increment(ref received);
        back.Received = (_, _) => Interlocked.Increment(ref received);
        using var stop = new CancellationTokenSource();
        long sent = 0;
        Task Pump(IFramePort port) => Task.Run(() =>
        {
            var frame = Frames.Udp4(8000, 3);
            while (!stop.IsCancellationRequested)
            {
                if (port.Send(frame, default)) Interlocked.Increment(ref sent);
                else Thread.Sleep(1);
            }
        });
        var pumps = new[] { Pump(front), Pump(back) };
        var until = DateTime.UtcNow.AddSeconds(60);
        while (Interlocked.Read(ref received) < 200 && DateTime.UtcNow < until) await Task.Delay(10);
        Assert.True(Interlocked.Read(ref received) >= 200, $"{Interlocked.Read(ref received)} frames in 60 s");
        var closed = await env.Dom0.Toolstack.RemoveDeviceAsync(env.Domain.DomainId, NetworkOnDom0.Nic(), TimeSpan.FromSeconds(10));
        Assert.True(closed, string.Join('\n', env.Lines()));
        await env.WaitForLineAsync("xnf0 detached");
        await env.WaitForLineAsync("vif1.0: disconnected");
        Assert.False(front.Send(Frames.Udp4(100, 1), default));
        Assert.False(back.Send(Frames.Udp4(100, 1), default));
        stop.Cancel();
        await Task.WhenAll(pumps).WaitAsync(TimeSpan.FromSeconds(15));
        Assert.Empty(env.Xnf.Interfaces);
        Assert.Empty(env.Dom0.Network.Devices);
        Assert.DoesNotContain(env.Lines(), l => l.Contains(" error: ", StringComparison.Ordinal));
    }
}
