using Xen.Abi.Io;

namespace Xen.Drivers.Disk.Tests;

/// <summary>
/// With persistent grants agreed, Linux's xen-blkback maps every grant of a request read-write, the indirect
/// descriptor pages too, and Blkback does the same: a frontend that grants those pages read-only has each indirect
/// request refused by the hypervisor (GNTTABOP_map_grant_ref), as xbf once had against Linux on real Xen.
/// </summary>
public sealed class IndirectGrantTests
{
    [Theory]
    [InlineData(1056)] // the descriptor pages are kept with the data pages
    [InlineData(0)] // none is kept: each descriptor page is mapped read-write for its request, then unmapped
    public async Task Indirect_requests_go_through_descriptor_pages_the_backend_maps_writable(int maxPersistentGrants)
    {
        await using var bed = new DiskBed(backend: new BlkbackOptions { Persistent = true, MaxPersistentGrants = maxPersistentGrants });
        var disk = await bed.StartAsync();
        Assert.True(disk.PersistentGrants);
        Assert.True(disk.SegmentsPerRequest > Blkif.BlkifMaxSegmentsPerRequest, $"{disk.SegmentsPerRequest} segments: no indirect requests");
        var data = new byte[disk.SegmentsPerRequest * 4096];
        new Random(16).NextBytes(data);
        for (var round = 0; round < 3; round++)
        {
            var sector = round * 2048L;
            await disk.WriteAsync(sector, data);
            var back = new byte[data.Length];
            await disk.ReadAsync(sector, back);
            Assert.Equal(data, back);
        }
        Assert.DoesNotContain(bed.Lines(), l => l.Contains("GNTTABOP_map_grant_ref", StringComparison.Ordinal));
    }
}
