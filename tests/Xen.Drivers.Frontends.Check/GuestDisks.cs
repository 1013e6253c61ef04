using Xen.Drivers.Xbf;
using Xen.Drivers.Xbf.Block;
using Xen.Simulator.Tool.Nbd;

namespace Xen.Drivers.Frontends.Check;

/// <summary>
/// The guest's disk checks through Xbf: the seeded random job with every read compared with what the disk must hold,
/// and an ext4 image copied onto a disk by nbdcopy through our NBD export of it.
/// </summary>
internal static class GuestDisks
{
    /// <summary>A disk's Linux name from its vbd's device id (xvda is 51712, one letter every 16).</summary>
    public static string NameOf(XbfDisk disk) => "xvd" + (char)('a' + (int.Parse(disk.Device.Id) - 51712) / 16);

    /// <summary>Waits until the named disks are connected, or the deadline; the disks found by name.</summary>
    public static async Task<Dictionary<string, XbfDisk>> WaitAsync(XbfDriver xbf, IReadOnlyCollection<string> names, TimeSpan timeout, CheckLog log)
    {
        using var deadline = new CancellationTokenSource(timeout);
        while (true)
        {
            var found = xbf.Disks.Where(d => d.State == XbfDiskState.Connected).ToDictionary(NameOf);
            if (names.All(found.ContainsKey) || deadline.IsCancellationRequested) return found;
            try { await Task.Delay(200, deadline.Token); }
            catch (OperationCanceledException) { }
        }
    }

    /// <summary>Runs <paramref name="job"/> on <paramref name="disk"/>, every read compared with the job's model, then reads the whole disk back.</summary>
    public static async Task RandomAsync(string name, IBlockDevice disk, DiskJob job, CheckLog log)
    {
        long bytes = disk.SectorCount * 512;
        var model = new byte[bytes];
        DiskPattern.Fill(model, 0, job.InitialSeed);
        int reads = 0, writes = 0, mismatches = 0;
        string? firstMismatch = null;
        var workers = Enumerable.Range(0, DiskJob.Workers).Select(w => Task.Run(async () =>
        {
            foreach (var op in job.OperationsOf(w))
            {
                var buffer = new byte[op.Length];
                if (op.Write)
                {
                    DiskPattern.Fill(buffer, op.Offset, op.DataSeed);
                    await disk.WriteAsync(op.Offset / 512, buffer);
                    buffer.CopyTo(model.AsSpan((int)op.Offset));
                    Interlocked.Increment(ref writes);
                }
                else
                {
                    await disk.ReadAsync(op.Offset / 512, buffer);
                    Interlocked.Increment(ref reads);
                    if (!buffer.AsSpan().SequenceEqual(model.AsSpan((int)op.Offset, op.Length)))
                    {
                        Interlocked.Increment(ref mismatches);
                        Interlocked.CompareExchange(ref firstMismatch, $"{op.Length} bytes at {op.Offset}", null);
                    }
                }
            }
        })).ToArray();
        await Task.WhenAll(workers);
        await disk.FlushAsync();
        log.Check(mismatches == 0, $"{name}: {reads} random reads through xbf match the disk's content ({writes} writes among them, {DiskJob.Workers} workers)", firstMismatch ?? "");
        var whole = new byte[bytes];
        for (long at = 0; at < bytes; at += 1 << 20)
            await disk.ReadAsync(at / 512, whole.AsMemory((int)at, (int)Math.Min(1 << 20, bytes - at)));
        log.Check(whole.AsSpan().SequenceEqual(model), $"{name}: the whole disk read back through xbf is the job's result");
    }

    /// <summary>
    /// Copies the image file <paramref name="image"/> onto <paramref name="target"/> with nbdcopy through our NBD export
    /// of it, then reads the disk back through xbf and compares it with the image.
    /// </summary>
    public static async Task CopyAsync(string image, string targetName, XbfDisk target, CheckLog log)
    {
        await using (var to = new NbdServer($"/tmp/{targetName}.sock", target, targetName, log.Info))
        {
            var (exit, output) = await Tool.RunAsync("/usr/bin/nbdcopy", [image, $"nbd+unix:///?socket={to.Path}"], TimeSpan.FromMinutes(15));
            log.Check(exit == 0, $"nbdcopy of the ext4 image onto {targetName} through our NBD export of xbf", output.Trim());
        }
        await target.FlushAsync();
        var expected = await File.ReadAllBytesAsync(image);
        var back = new byte[expected.Length];
        for (int at = 0; at < back.Length; at += 1 << 20)
            await target.ReadAsync(at / 512, back.AsMemory(at, Math.Min(1 << 20, back.Length - at)));
        log.Check(back.AsSpan().SequenceEqual(expected), $"{targetName}: read back through xbf, the disk is the ext4 image");
    }
}
