namespace Xen.Drivers.Frontends.Check;

/// <summary>
/// A seeded random I/O job: <see cref="Workers"/> workers, each on its own stripe of the disk, each a sequence of
/// reads and writes of 512 B to 512 KiB at sector-aligned offsets. Stripes do not overlap, so the disk's final content
/// is the same however the workers interleave, and dom0 replays the job to know what the backing file must hold.
/// </summary>
internal sealed class DiskJob(ulong seed, long diskBytes, int operationsPerWorker)
{
    public const int Workers = 8;
    private const int Sector = 512;

    /// <summary>One operation; a write's data is the pattern of <see cref="DataSeed"/> at its offset.</summary>
    public readonly record struct Operation(bool Write, long Offset, int Length, ulong DataSeed);

    /// <summary>The seed of the disk's initial content.</summary>
    public ulong InitialSeed => seed;

    /// <summary>Worker <paramref name="worker"/>'s operations, in order.</summary>
    public IEnumerable<Operation> OperationsOf(int worker)
    {
        long stripe = diskBytes / Workers / 4096 * 4096;
        var random = new Random(unchecked((int)seed) * 31 + worker);
        for (int i = 0; i < operationsPerWorker; i++)
        {
            int sectors = random.Next(10) == 0 ? random.Next(1, 1025) : random.Next(1, 129);
            int length = (int)Math.Min(sectors * Sector, stripe);
            long offset = worker * stripe + random.NextInt64((stripe - length) / Sector + 1) * Sector;
            yield return new Operation(random.Next(2) == 0, offset, length, seed + 1 + (ulong)(worker * 100_000 + i));
        }
    }

    /// <summary>The disk's content after the whole job.</summary>
    public byte[] FinalContent()
    {
        var disk = new byte[diskBytes];
        DiskPattern.Fill(disk, 0, seed);
        for (int w = 0; w < Workers; w++)
            foreach (var op in OperationsOf(w))
                if (op.Write) DiskPattern.Fill(disk.AsSpan((int)op.Offset, op.Length), op.Offset, op.DataSeed);
        return disk;
    }
}
