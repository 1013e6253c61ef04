using Xen.Drivers.Disk.Tests;

namespace Xen.Drivers.Net.Tests;

/// <summary>
/// xnf's grants live as long as the interface and no longer: the rings and the fixed set of buffer pages are granted
/// when it connects (the backend can then see nothing else of ours), and every one of them ends once the vif is
/// unplugged and the backend has let go, traffic or not (drivers/README.md, "How long grants live").
/// </summary>
public sealed class GrantLifetimeTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public async Task Every_grant_of_a_vif_ends_when_it_is_unplugged_during_traffic(int queues)
    {
        using var env = new NetworkOnDom0(new NetbackOptions { MaxQueues = queues }, new XnfOptions { MaxQueues = queues });
        var table = env.Nexus.GrantTable!;
        var before = GrantCount.InUse(table);
        var (front, back) = await env.ConnectAsync();
        var during = GrantCount.InUse(table);
        Assert.True(during > before, "xnf granted nothing");
        long received = 0;
        front.Received = (_, _) => Interlocked.Increment(ref received);
        back.Received = (_, _) => Interlocked.Increment(ref received);
        using var stop = new CancellationTokenSource();
        Task Pump(IFramePort port) => Task.Run(() =>
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                if (!port.Send(Frames.Udp4(100 + i % 9000, i), default)) Thread.Sleep(1);
            }
        });
        var pumps = new[] { Pump(front), Pump(back) };
        var until = DateTime.UtcNow.AddSeconds(30);
        while (Interlocked.Read(ref received) < 200 && DateTime.UtcNow < until) await Task.Delay(10);
        // Traffic does not take more grants: the buffers are the fixed set granted at connect.
        Assert.Equal(during, GrantCount.InUse(table));
        Assert.True(await env.Dom0.Toolstack.RemoveDeviceAsync(env.Domain.DomainId, NetworkOnDom0.Nic(), TimeSpan.FromSeconds(10)));
        await env.WaitForLineAsync("xnf0 detached");
        await env.WaitForLineAsync("vif1.0: disconnected");
        stop.Cancel();
        await Task.WhenAll(pumps).WaitAsync(TimeSpan.FromSeconds(15));
        await GrantCount.AssertBackToAsync(table, before);
    }
}
