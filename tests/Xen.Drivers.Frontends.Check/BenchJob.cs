using System.Diagnostics;
using Xen.Drivers.Xbf.Block;

namespace Xen.Drivers.Frontends.Check;

/// <summary>
/// The bench's bounded I/O job, the same through Xbf and through the kernel's xen-blkfront: 8 workers each write
/// their stripe in 64 KiB requests and read it back, then 4 KiB reads at seeded random offsets. Throughput only; the
/// figure that means something is the ratio of two runs on the same backend in the same boot.
/// </summary>
internal static class BenchJob
{
    private const int Workers = 8;
    private const int Block = 64 << 10;
    private const int Small = 4096;

    /// <summary>Write MB/s, read MB/s and 4 KiB random reads per second over the first <paramref name="bytes"/> of <paramref name="disk"/>.</summary>
    public static async Task<(double WriteMBps, double ReadMBps, double RandomReadIops)> RunAsync(IBlockDevice disk, long bytes, int randomReads)
    {
        long stripe = bytes / Workers / Block * Block;
        double write = await TimedAsync(stripe * Workers, w => Sequential(disk, w * stripe, stripe, write: true));
        await disk.FlushAsync();
        double read = await TimedAsync(stripe * Workers, w => Sequential(disk, w * stripe, stripe, write: false));
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, Workers).Select(w => Task.Run(async () =>
        {
            var random = new Random(w);
            var buffer = new byte[Small];
            for (int i = 0; i < randomReads / Workers; i++)
                await disk.ReadAsync(random.NextInt64(stripe * Workers / Small) * Small / 512, buffer);
        })));
        return (write, read, randomReads / Workers * Workers / clock.Elapsed.TotalSeconds);
    }

    private static async Task<double> TimedAsync(long total, Func<int, Task> worker)
    {
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, Workers).Select(w => Task.Run(() => worker(w))));
        return total / 1e6 / clock.Elapsed.TotalSeconds;
    }

    private static async Task Sequential(IBlockDevice disk, long start, long length, bool write)
    {
        var buffer = new byte[Block];
        new Random((int)(start / Block)).NextBytes(buffer);
        for (long at = start; at < start + length; at += Block)
        {
            if (write) await disk.WriteAsync(at / 512, buffer);
            else await disk.ReadAsync(at / 512, buffer);
        }
    }
}
