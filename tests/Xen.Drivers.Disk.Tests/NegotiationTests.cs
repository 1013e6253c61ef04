namespace Xen.Drivers.Disk.Tests;

/// <summary>What frontend and backend agree on, as both ends wrote it to XenStore, and the disk that results.</summary>
public sealed class NegotiationTests
{
    [Fact]
    public async Task Multi_page_rings_queues_indirect_segments_and_persistent_grants_are_agreed()
    {
        await using var bed = new DiskBed(backend: new BlkbackOptions { MaxRingPageOrder = 2, MaxQueues = 4, MaxIndirectSegments = 64 },
            frontend: new XbfOptions { MaxRingPageOrder = 1, MaxQueues = 2, MaxIndirectSegments = 32 });
        var disk = await bed.StartAsync();
        var front = disk.Device.FullPath;
        var store = bed.Dom0.Store;
        Assert.Equal("1", await store.ReadStringAsync($"{front}/ring-page-order"));
        Assert.Equal("2", await store.ReadStringAsync($"{front}/multi-queue-num-queues"));
        Assert.True(await store.ExistsAsync($"{front}/queue-1/ring-ref1"));
        Assert.True(await store.ExistsAsync($"{front}/queue-0/event-channel"));
        Assert.False(await store.ExistsAsync($"{front}/ring-ref"));
        Assert.Equal("x86_64-abi", await store.ReadStringAsync($"{front}/protocol"));
        Assert.Equal(2, disk.QueueCount);
        Assert.Equal(1, disk.RingPageOrder);
        Assert.Equal(64u, disk.RingSize); // two pages of 112-byte slots after the 64-byte header: __RING_SIZE rounds down to 64
        Assert.Equal(32, disk.SegmentsPerRequest);
        Assert.True(disk.PersistentGrants);
        Assert.Equal(2, bed.BackendDevice.QueueCount);
        Assert.Equal(16384L, disk.SectorCount);
        Assert.True(disk.CanFlush && disk.CanDiscard);
        Assert.Equal(4096, disk.DiscardGranularity);
        Assert.Contains(bed.Lines(), l => l.StartsWith("xbf0: 16384 sectors (8 MB), sector size 512, physical 4096; 2 queue(s) of 2-page rings", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_backend_without_the_optional_features_gets_one_single_page_ring_and_direct_segments()
    {
        await using var bed = new DiskBed(backend: new BlkbackOptions
        {
            MaxRingPageOrder = 0, MaxQueues = 1, MaxIndirectSegments = 0, Persistent = false, FlushCache = false, Barrier = true, Discard = false,
        });
        var disk = await bed.StartAsync();
        var front = disk.Device.FullPath;
        var store = bed.Dom0.Store;
        Assert.True(await store.ExistsAsync($"{front}/ring-ref"));
        Assert.True(await store.ExistsAsync($"{front}/event-channel"));
        Assert.False(await store.ExistsAsync($"{front}/ring-page-order"));
        Assert.False(await store.ExistsAsync($"{front}/multi-queue-num-queues"));
        Assert.Equal(1, disk.QueueCount);
        Assert.Equal(32u, disk.RingSize);
        Assert.Equal(11, disk.SegmentsPerRequest);
        Assert.False(disk.PersistentGrants);
        Assert.False(disk.CanDiscard);
        Assert.True(disk.CanFlush); // by barrier
        await Assert.ThrowsAsync<BlockDeviceException>(async () => await disk.DiscardAsync(0, 8));
        var data = Enumerable.Range(0, 64 * 1024).Select(i => (byte)(i * 7)).ToArray();
        await disk.WriteAsync(8, data);
        await disk.FlushAsync();
        var back = new byte[data.Length];
        await disk.ReadAsync(8, back);
        Assert.Equal(data, back);
    }
}
