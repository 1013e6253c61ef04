namespace Xen.Drivers.Disk.Tests;

/// <summary>The toolstack removes the disk while requests are in flight: every one completes or fails, none hangs.</summary>
public sealed class UnplugTests
{
    [Fact]
    public async Task Unplug_during_io_completes_or_fails_every_request()
    {
        await using var bed = new DiskBed();
        var disk = await bed.StartAsync();
        var random = new Random(9);
        var data = new byte[64 * 1024];
        random.NextBytes(data);
        using var stop = new CancellationTokenSource();
        var outcomes = new System.Collections.Concurrent.ConcurrentBag<Exception?>();
        var workers = Enumerable.Range(0, 48).Select(w => Task.Run(async () =>
        {
            for (var i = 0; !stop.IsCancellationRequested && i < 10_000; i++)
            {
                try
                {
                    var sector = (w * 128 + i % 8 * 16) % (disk.SectorCount - 128);
                    if (i % 2 == 0) await disk.WriteAsync(sector, data);
                    else await disk.ReadAsync(sector, new byte[data.Length]);
                    outcomes.Add(null);
                }
                catch (Exception e)
                {
                    outcomes.Add(e);
                    if (e is BlockDeviceException { Failure: BlockDeviceFailure.Disconnected }) return;
                }
            }
        })).ToArray();
        // Unplug once I/O is flowing (a fixed delay was a bet that some request completes in time on a loaded machine).
        var until = DateTime.UtcNow.AddSeconds(60);
        while (outcomes.Count(o => o is null) < 20 && DateTime.UtcNow < until) await Task.Delay(10);
        Assert.True(outcomes.Count(o => o is null) >= 20, $"{outcomes.Count(o => o is null)} requests completed in 60 s");
        Assert.True(await bed.Dom0.Toolstack.RemoveDeviceAsync(bed.Domain.DomainId, DeviceSpec.Disk(0, bed.ImagePath), TimeSpan.FromSeconds(10)));
        var all = Task.WhenAll(workers);
        await Task.WhenAny(all, Task.Delay(TimeSpan.FromSeconds(60)));
        stop.Cancel();
        Assert.True(all.IsCompleted, "a request is still pending after the unplug");
        Assert.Contains(outcomes, o => o is null);
        var failures = outcomes.OfType<Exception>().ToArray();
        Assert.NotEmpty(failures);
        Assert.All(failures, f => Assert.Equal(BlockDeviceFailure.Disconnected, Assert.IsType<BlockDeviceException>(f).Failure));
        Assert.Equal(XbfDiskState.Closed, disk.State);
        await bed.WaitForLineAsync("xbf0 detached");
    }
}
