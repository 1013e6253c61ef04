using Xen.Abi.Io;

namespace Xen.Drivers.Disk.Tests;

/// <summary>Reads, writes, flushes and discards through the block API and the Stream, against the backing file.</summary>
public sealed class BlockIoTests
{
    [Fact]
    public async Task Concurrent_seeded_writes_of_every_size_land_in_the_file_and_read_back()
    {
        await using var bed = new DiskBed();
        var disk = await bed.StartAsync();
        var random = new Random(77);
        var model = new byte[disk.SectorCount * 512];
        for (var round = 0; round < 4; round++)
        {
            // Disjoint regions per round, from one sector to 300 KiB (split over several indirect requests).
            var regions = new List<(long Sector, byte[] Data)>();
            for (var slot = 0; slot < 16; slot++)
            {
                var sectors = random.Next(4) == 0 ? random.Next(1, 600) : random.Next(1, 64);
                var sector = slot * 1024L + random.Next(0, 1024 - sectors);
                var data = new byte[sectors * 512];
                random.NextBytes(data);
                regions.Add((sector, data));
                data.CopyTo(model, sector * 512);
            }
            await Task.WhenAll(regions.Select(r => disk.WriteAsync(r.Sector, r.Data).AsTask()));
            await disk.FlushAsync();
            var back = regions.Select(r => new byte[r.Data.Length]).ToArray();
            await Task.WhenAll(regions.Select((r, i) => disk.ReadAsync(r.Sector, back[i]).AsTask()));
            for (var i = 0; i < regions.Count; i++) Assert.Equal(regions[i].Data, back[i]);
        }
        Assert.Equal(model, await File.ReadAllBytesAsync(bed.ImagePath));
    }

    [Fact]
    public async Task A_4096_byte_sector_disk_counts_in_512_byte_sectors_and_refuses_unaligned_transfers()
    {
        await using var bed = new DiskBed(backend: new BlkbackOptions { SectorSize = 4096 });
        var disk = await bed.StartAsync();
        Assert.Equal(4096, disk.SectorSize);
        Assert.Equal(16384L, disk.SectorCount);
        var data = Enumerable.Range(0, 8192).Select(i => (byte)(i % 251)).ToArray();
        await disk.WriteAsync(8, data); // 512-byte sector 8 is byte 4096
        var file = await File.ReadAllBytesAsync(bed.ImagePath);
        Assert.Equal(data, file.AsSpan(4096, 8192).ToArray());
        await Assert.ThrowsAsync<ArgumentException>(async () => await disk.WriteAsync(1, new byte[4096]));
        await Assert.ThrowsAsync<ArgumentException>(async () => await disk.ReadAsync(0, new byte[512]));
        await using var stream = new BlockDeviceStream(disk);
        stream.Position = 4096 + 100;
        var part = new byte[10];
        await stream.ReadExactlyAsync(part);
        Assert.Equal(data.AsSpan(100, 10).ToArray(), part);
        stream.Position = 3;
        await stream.WriteAsync(new byte[] { 1, 2, 3 });
        file = await File.ReadAllBytesAsync(bed.ImagePath);
        Assert.Equal(new byte[] { 0, 0, 0, 1, 2, 3, 0 }, file.AsSpan(0, 7).ToArray());
    }

    [Fact]
    public async Task Discard_reads_back_as_zeros_and_out_of_range_is_refused()
    {
        await using var bed = new DiskBed();
        var disk = await bed.StartAsync();
        var data = new byte[64 * 1024];
        Array.Fill(data, (byte)0xA5);
        await disk.WriteAsync(0, data);
        await disk.DiscardAsync(16, 64);
        var back = new byte[data.Length];
        await disk.ReadAsync(0, back);
        Assert.All(back.AsSpan(0, 16 * 512).ToArray(), b => Assert.Equal(0xA5, b));
        Assert.All(back.AsSpan(16 * 512, 64 * 512).ToArray(), b => Assert.Equal(0, b));
        Assert.All(back.AsSpan(80 * 512).ToArray(), b => Assert.Equal(0xA5, b));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await disk.ReadAsync(disk.SectorCount - 1, new byte[1024]));
    }

    [Fact]
    public async Task A_read_only_vbd_reports_VDISK_READONLY_and_refuses_writes()
    {
        await using var bed = new DiskBed(backend: new BlkbackOptions { ExtraInfo = (uint)(Blkif.VdiskRemovable | Blkif.VdiskCdrom) });
        var disk = await StartReadOnlyAsync(bed);
        Assert.True(disk.IsReadOnly && disk.Info.IsCdrom && disk.Info.IsRemovable);
        Assert.Contains(bed.Lines(), l => l.Contains("read-only, cdrom, removable", StringComparison.Ordinal));
        var refused = await Assert.ThrowsAsync<BlockDeviceException>(async () => await disk.WriteAsync(0, new byte[512]));
        Assert.Equal(BlockDeviceFailure.ReadOnly, refused.Failure);
        await disk.ReadAsync(0, new byte[4096]);
    }

    private static async Task<XbfDisk> StartReadOnlyAsync(DiskBed bed)
    {
        bed.Dom0.Toolstack.ServeWith("vbd", async request =>
        {
            await request.Services.Store.WriteAsync($"{request.Backend}/mode", "r");
            return await BlkbackDevice.StartAsync(request.Services, request.Backend, bed.Backend);
        });
        return await bed.StartAsync();
    }
}
