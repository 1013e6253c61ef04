using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Xen.Drivers.Disk.Tests.Nbd;

/// <summary>
/// The guest's disk exported by <c>xensim run --disk --nbd</c> (NBD server, Xbf, the rings, Blkback, the file), used
/// by NBD clients no one here wrote: libnbd's nbdinfo, nbdcopy and nbdfuse, and QEMU's qemu-io; checked byte for byte
/// against the backing file and by e2fsck.
/// </summary>
public sealed class NbdClientTests
{
    [Fact]
    public async Task Nbdinfo_sees_the_disks_size_and_features()
    {
        await using var export = await XensimExport.StartAsync(48 << 20);
        var json = await Tools.CheckAsync("nbdinfo", ["--json", export.Uri]);
        using var info = JsonDocument.Parse(json);
        var first = info.RootElement.GetProperty("exports")[0];
        Assert.Equal(48L << 20, first.GetProperty("export-size").GetInt64());
        Assert.True(first.GetProperty("can_flush").GetBoolean());
        Assert.True(first.GetProperty("can_fua").GetBoolean());
        Assert.True(first.GetProperty("can_trim").GetBoolean());
        Assert.False(first.GetProperty("is_read_only").GetBoolean());
        Assert.Equal(512, first.GetProperty("block_size_minimum").GetInt32());
    }

    [Fact]
    public async Task Seeded_random_concurrent_writes_and_reads_by_qemu_io_match_the_backing_file_byte_for_byte()
    {
        const int size = 24 << 20;
        var random = new Random(20261201);
        var model = new byte[size];
        random.NextBytes(model);
        await using var export = await XensimExport.StartAsync(size, file => file.Write(model));

        // The checkers fail on a wrong input first: a wrong pattern is reported by qemu-io, a flipped byte by the comparison.
        var (exit, wrong) = await Tools.RunAsync("qemu-io", ["-f", "raw", "-c", $"read -P 0x{(byte)(model[0] + 1):x2} 0 512", export.Uri]);
        Assert.NotEqual(0, exit);
        Assert.Contains("Pattern verification failed", wrong);
        var flipped = (byte[])model.Clone();
        flipped[size / 2] ^= 1;
        Assert.Equal(size / 2, FirstDifference(flipped, await File.ReadAllBytesAsync(export.ImagePath)));

        for (var round = 0; round < 6; round++)
        {
            var writes = Regions(random, size, count: 12);
            var script = new StringBuilder();
            foreach (var (offset, length, pattern) in writes)
            {
                script.Append(CultureInfo.InvariantCulture, $"aio_write -P 0x{pattern:x2} {offset} {length}\n");
                model.AsSpan(offset, length).Fill(pattern);
            }
            script.Append("aio_flush\n");
            foreach (var (offset, length, pattern) in writes)
                script.Append(CultureInfo.InvariantCulture, $"aio_read -P 0x{pattern:x2} {offset} {length}\n");
            foreach (var (offset, length, _) in Regions(random, size, count: 8))
                script.Append(CultureInfo.InvariantCulture, $"aio_read -P 0x{model[offset]:x2} {offset} 1\n");
            script.Append("aio_flush\n");
            var output = await Tools.CheckAsync("qemu-io", ["-f", "raw", export.Uri], stdin: script.ToString());
            Assert.DoesNotContain("failed", output, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("error", output, StringComparison.OrdinalIgnoreCase);
            Assert.Equal(writes.Count, CountOf(output, "wrote "));
        }

        Assert.Equal(-1, FirstDifference(model, await File.ReadAllBytesAsync(export.ImagePath)));
        var copy = Path.Combine(export.Directory, "copy.img");
        await Tools.CheckAsync("nbdcopy", ["--requests=16", export.Uri, copy]);
        Assert.Equal(-1, FirstDifference(model, await File.ReadAllBytesAsync(copy)));
    }

    [Fact]
    public async Task Nbdcopy_writes_the_whole_disk_and_reads_it_back()
    {
        const int size = 16 << 20;
        await using var export = await XensimExport.StartAsync(size);
        var source = Path.Combine(export.Directory, "source.img");
        var data = new byte[size];
        new Random(7).NextBytes(data);
        await File.WriteAllBytesAsync(source, data);
        await Tools.CheckAsync("nbdcopy", ["--flush", source, export.Uri]);
        Assert.Equal(-1, FirstDifference(data, await File.ReadAllBytesAsync(export.ImagePath)));
        var back = Path.Combine(export.Directory, "back.img");
        await Tools.CheckAsync("nbdcopy", [export.Uri, back]);
        Assert.Equal(-1, FirstDifference(data, await File.ReadAllBytesAsync(back)));
    }

    [Fact]
    public async Task Mkfs_ext4_through_nbdfuse_with_files_copied_in_gives_a_file_system_e2fsck_finds_clean()
    {
        await using var export = await XensimExport.StartAsync(64 << 20);
        var files = Path.Combine(export.Directory, "files");
        Directory.CreateDirectory(Path.Combine(files, "sub"));
        var random = new Random(42);
        var contents = new Dictionary<string, byte[]>();
        foreach (var (name, length) in new[] { ("a.txt", 13), ("sub/b.bin", 300_000), ("sub/c.bin", 3 << 20) })
        {
            var bytes = new byte[length];
            random.NextBytes(bytes);
            await File.WriteAllBytesAsync(Path.Combine(files, name), bytes);
            contents[name] = bytes;
        }
        var mount = Path.Combine(export.Directory, "mnt");
        Directory.CreateDirectory(mount);
        using (var fuse = Process.Start(new ProcessStartInfo("nbdfuse", [mount, "--unix", export.SocketPath]) { RedirectStandardError = true })!)
        {
            var device = Path.Combine(mount, "nbd");
            for (var i = 0; i < 200 && !File.Exists(device); i++) await Task.Delay(50);
            Assert.True(File.Exists(device), "nbdfuse did not mount the export");
            try
            {
                await Tools.CheckAsync("mkfs.ext4", ["-q", "-F", "-d", files, device]);
                await Tools.CheckAsync("sync", []);
            }
            finally
            {
                await Tools.RunAsync("fusermount3", ["-u", mount]);
                await fuse.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
            }
        }
        Assert.Equal(0, await export.StopAsync());
        // e2fsck -n exits 0 only when it found nothing to fix.
        var check = await Tools.CheckAsync("e2fsck", ["-f", "-n", export.ImagePath]);
        Assert.Contains("Pass 5", check);
        foreach (var (name, bytes) in contents)
        {
            var dumped = Path.Combine(export.Directory, "dumped");
            await Tools.CheckAsync("debugfs", ["-R", $"dump /{name} {dumped}", export.ImagePath]);
            Assert.Equal(-1, FirstDifference(bytes, await File.ReadAllBytesAsync(dumped)));
        }
    }

    /// <summary>Non-overlapping regions: aligned and unaligned offsets, lengths from one byte to 256 KiB, each a pattern byte.</summary>
    private static List<(int Offset, int Length, byte Pattern)> Regions(Random random, int size, int count)
    {
        var taken = new List<(int, int, byte)>();
        while (taken.Count < count)
        {
            var alignment = random.Next(3) switch { 0 => 512, 1 => 4096, _ => 1 };
            var length = random.Next(4) == 0 ? random.Next(1, 3000) : random.Next(1, 65) * 4096;
            var offset = random.Next(0, (size - length) / alignment) * alignment;
            if (taken.Any(t => offset < t.Item1 + t.Item2 && t.Item1 < offset + length)) continue;
            taken.Add((offset, length, (byte)random.Next(1, 256)));
        }
        return taken;
    }

    private static int CountOf(string text, string what)
    {
        var count = 0;
        for (var at = text.IndexOf(what, StringComparison.Ordinal); at >= 0; at = text.IndexOf(what, at + what.Length, StringComparison.Ordinal)) count++;
        return count;
    }

    /// <summary>The first offset where the two differ (a length difference counts), or -1.</summary>
    internal static int FirstDifference(byte[] expected, byte[] actual)
    {
        var common = expected.AsSpan().CommonPrefixLength(actual);
        return common == expected.Length && common == actual.Length ? -1 : common;
    }
}
