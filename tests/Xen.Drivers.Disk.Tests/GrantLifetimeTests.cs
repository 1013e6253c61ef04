namespace Xen.Drivers.Disk.Tests;

/// <summary>
/// xbf's grants live as long as the disk and no longer: its rings and each request id's bounce pages are granted when
/// it connects, I/O takes no more, and every one ends once the disk is unplugged during I/O and the backend (which
/// keeps persistent grants mapped) has let go (drivers/README.md, "How long grants live").
/// </summary>
public sealed class GrantLifetimeTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Every_grant_of_a_disk_ends_when_it_is_unplugged_during_io(bool persistent)
    {
        await using var bed = new DiskBed(backend: new BlkbackOptions { Persistent = persistent });
        await bed.BootAsync(withDisk: false);
        var table = bed.Nexus!.GrantTable!;
        var before = GrantCount.InUse(table);
        await bed.AddDiskAsync();
        var disk = await bed.WaitForDiskAsync();
        Assert.Equal(persistent, disk.PersistentGrants);
        var during = GrantCount.InUse(table);
        Assert.True(during > before, "xbf granted nothing");
        var data = new byte[64 * 1024];
        new Random(4).NextBytes(data);
        var done = 0;
        using var stop = new CancellationTokenSource();
        var workers = Enumerable.Range(0, 16).Select(w => Task.Run(async () =>
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                try
                {
                    var sector = (w * 128 + i % 8 * 16) % (disk.SectorCount - 128);
                    if (i % 2 == 0) await disk.WriteAsync(sector, data);
                    else await disk.ReadAsync(sector, new byte[data.Length]);
                    Interlocked.Increment(ref done);
                }
                catch (BlockDeviceException e) when (e.Failure == BlockDeviceFailure.Disconnected)
                {
                    return;
                }
            }
        })).ToArray();
        var until = DateTime.UtcNow.AddSeconds(30);
        while (Volatile.Read(ref done) < 100 && DateTime.UtcNow < until) await Task.Delay(10);
        Assert.True(Volatile.Read(ref done) >= 100, $"{done} requests in 30 s");
        Assert.Equal(during, GrantCount.InUse(table));
        Assert.True(await bed.Dom0.Toolstack.RemoveDeviceAsync(bed.Domain.DomainId, DeviceSpec.Disk(0, bed.ImagePath), TimeSpan.FromSeconds(10)));
        await bed.WaitForLineAsync("xbf0 detached");
        stop.Cancel();
        await Task.WhenAll(workers).WaitAsync(TimeSpan.FromSeconds(30));
        await GrantCount.AssertBackToAsync(table, before);
    }
}
