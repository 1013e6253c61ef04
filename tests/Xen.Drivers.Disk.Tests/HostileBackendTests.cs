namespace Xen.Drivers.Disk.Tests;

/// <summary>
/// Backends that lie (Blkback's hostile modes): the frontend notices, disables the disk with one log line, fails every
/// pending request and touches nothing it did not grant; a storm of events or abused grants change nothing for it.
/// </summary>
public sealed class HostileBackendTests
{
    [Theory]
    [InlineData(BlkbackHostility.LyingIds, "is not a request id")]
    [InlineData(BlkbackHostility.CompletedIds, "already completed")]
    [InlineData(BlkbackHostility.ProducerOverflow, "response producer")]
    [InlineData(BlkbackHostility.MismatchedOperation, "carries operation")]
    public async Task A_broken_response_puts_the_disk_in_its_error_state_and_fails_every_pending_request(BlkbackHostility hostility, string reason)
    {
        await using var bed = new DiskBed(backend: new BlkbackOptions { Hostility = hostility });
        var before = new GuardPages(bed.Domain, 8);
        var disk = await bed.StartAsync();
        var after = new GuardPages(bed.Domain, 8);
        var requests = Enumerable.Range(0, 24).Select(i => disk.ReadAsync(i * 8, new byte[4096]).AsTask()).ToArray();
        var all = Task.WhenAll(requests);
        await Task.WhenAny(all, Task.Delay(TimeSpan.FromSeconds(60)));
        Assert.True(requests.All(r => r.IsCompleted), "a request is still pending");
        var failures = requests.Where(r => r.IsFaulted).Select(r => Assert.IsType<BlockDeviceException>(r.Exception!.InnerException)).ToArray();
        Assert.NotEmpty(failures);
        Assert.All(failures, f => Assert.Equal(BlockDeviceFailure.DeviceError, f.Failure));
        Assert.Equal(XbfDiskState.Error, disk.State);
        Assert.Contains(reason, disk.ErrorReason);
        Assert.Single(bed.Lines(), l => l.StartsWith("xbf0: backend error: ", StringComparison.Ordinal));
        var later = await Assert.ThrowsAsync<BlockDeviceException>(async () => await disk.WriteAsync(0, new byte[512]));
        Assert.Equal(BlockDeviceFailure.DeviceError, later.Failure);
        Assert.True(before.Untouched() && after.Untouched());
        // The toolstack is told too, in the device's error node (errno and message, as xenbus_dev_error writes it).
        var node = await bed.WaitForStoreValueAsync(disk.Device.ErrorPath);
        Assert.StartsWith("5 backend error: ", node);
        Assert.Contains(reason, node);
    }

    [Fact]
    public async Task An_impossible_disk_key_is_fatal_an_error_node_names_it_and_the_device_closes()
    {
        await using var bed = new DiskBed(backend: new BlkbackOptions { SectorSize = 1000 });
        await bed.BootAsync();
        var errorPath = $"/local/domain/{bed.Domain.DomainId}/error/{bed.FrontendPath[$"/local/domain/{bed.Domain.DomainId}/".Length..]}/error";
        var node = await bed.WaitForStoreValueAsync(errorPath);
        Assert.StartsWith("5 connect: ", node);
        Assert.Contains("sector-size = 1000", node);
        await bed.WaitForStoreValueAsync(bed.FrontendPath + "/state", "6");
        Assert.Single(bed.Lines(), l => l.StartsWith("xbf0: connect: ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_honest_backend_leaves_no_error_node()
    {
        await using var bed = new DiskBed();
        var disk = await bed.StartAsync();
        await disk.WriteAsync(0, new byte[4096]);
        await disk.ReadAsync(0, new byte[4096]);
        Assert.False(await bed.Dom0.Store.ExistsAsync(disk.Device.ErrorPath));
    }

    [Fact]
    public async Task Grants_abused_by_the_backend_are_refused_and_the_disk_keeps_working()
    {
        await using var bed = new DiskBed(backend: new BlkbackOptions { Hostility = BlkbackHostility.GrantAbuse, Persistent = false }); // persistent grants are all writable
        var before = new GuardPages(bed.Domain, 8);
        var disk = await bed.StartAsync();
        var after = new GuardPages(bed.Domain, 8);
        var data = new byte[128 * 1024]; // 32 segments: an indirect request, whose read-only descriptor page is abused too
        new Random(3).NextBytes(data);
        await disk.WriteAsync(64, data);
        var back = new byte[data.Length];
        await disk.ReadAsync(64, back);
        await disk.WriteAsync(0, data.AsMemory(0, 4096));
        Assert.Equal(data, back);
        var (refused, allowed) = bed.BackendDevice.Abuses;
        Assert.Equal(0, allowed);
        Assert.True(refused >= 3 * 9, $"{refused} abuses refused");
        Assert.Equal(XbfDiskState.Connected, disk.State);
        Assert.True(before.Untouched() && after.Untouched());
    }

    [Fact]
    public async Task An_event_storm_changes_no_result()
    {
        await using var bed = new DiskBed(backend: new BlkbackOptions { Hostility = BlkbackHostility.EventStorm });
        var disk = await bed.StartAsync();
        var random = new Random(5);
        var blocks = Enumerable.Range(0, 32).Select(_ => { var b = new byte[8192]; random.NextBytes(b); return b; }).ToArray();
        await Task.WhenAll(blocks.Select((b, i) => disk.WriteAsync(i * 16, b).AsTask()));
        var back = blocks.Select(_ => new byte[8192]).ToArray();
        await Task.WhenAll(back.Select((b, i) => disk.ReadAsync(i * 16, b).AsTask()));
        for (var i = 0; i < blocks.Length; i++) Assert.Equal(blocks[i], back[i]);
        Assert.Equal(XbfDiskState.Connected, disk.State);
    }
}
