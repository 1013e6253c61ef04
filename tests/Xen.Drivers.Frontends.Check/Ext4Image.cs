namespace Xen.Drivers.Frontends.Check;

/// <summary>The ext4 image the guest copies through xbf, made by mkfs.ext4 from a seeded tree, and the checks on the copy.</summary>
internal static class Ext4Image
{
    /// <summary>Makes <paramref name="image"/>: an ext4 of <paramref name="bytes"/> holding a tree of seeded files (mkfs.ext4 -d).</summary>
    public static async Task CreateAsync(string image, string tree, long bytes, ulong seed, CheckLog log)
    {
        Directory.CreateDirectory(Path.Combine(tree, "sub"));
        var random = new Random((int)seed);
        long total = 0;
        for (int i = 0; i < 24; i++)
        {
            var content = new byte[random.Next(1, 1 << 19)];
            random.NextBytes(content);
            total += content.Length;
            await File.WriteAllBytesAsync(Path.Combine(tree, i % 3 == 0 ? "sub" : "", $"file{i}"), content);
        }
        await using (var file = File.Create(image)) file.SetLength(bytes);
        await Tool.CheckAsync("/sbin/mkfs.ext4", ["-q", "-F", "-d", tree, image], TimeSpan.FromMinutes(5));
        log.Info($"{image}: ext4 with 24 files ({total} bytes) by mkfs.ext4 -d");
    }

    /// <summary>e2fsck -f on the copy is clean and the copy is the source byte for byte.</summary>
    public static async Task CheckCopyAsync(string source, string copy, string backend, CheckLog log)
    {
        var (exit, output) = await Tool.RunAsync("/sbin/e2fsck", ["-f", "-n", copy], TimeSpan.FromMinutes(5));
        log.Check(exit == 0, $"{backend}: e2fsck -f finds the ext4 the guest copied through xbf clean", exit == 0 ? "" : $"exit {exit}: {output.Trim()}");
        var (same, detail) = await Tool.RunAsync("cmp", [source, copy], TimeSpan.FromMinutes(5));
        log.Check(same == 0, $"{backend}: the copy is its source byte for byte", detail.Trim());
    }
}
