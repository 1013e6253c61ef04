using System.Globalization;

namespace Xen.Bench.Disk;

/// <summary>One fio job: its name in the table, what it does, and whether its figure is IOPS or MB/s.</summary>
internal sealed record FioJob(string Name, string ReadWrite, string BlockSize, int IoDepth, bool Throughput)
{
    public static readonly FioJob[] All =
    [
        new("4 KiB random read, QD1", "randread", "4k", 1, false),
        new("4 KiB random read, QD32", "randread", "4k", 32, false),
        new("4 KiB random write, QD1", "randwrite", "4k", 1, false),
        new("4 KiB random write, QD32", "randwrite", "4k", 32, false),
        new("1 MiB sequential read, QD4", "read", "1m", 4, true),
        new("1 MiB sequential write, QD4", "write", "1m", 4, true),
    ];

    /// <summary>fio's arguments for this job on the NBD export at <paramref name="socket"/>.</summary>
    public string[] Arguments(string socket, int seconds) =>
    [
        "--name=job", "--ioengine=nbd", $"--uri=nbd+unix:///?socket={socket}", $"--rw={ReadWrite}", $"--bs={BlockSize}",
        $"--iodepth={IoDepth.ToString(CultureInfo.InvariantCulture)}", "--time_based", $"--runtime={seconds.ToString(CultureInfo.InvariantCulture)}",
        "--randrepeat=1", "--randseed=2026", "--output-format=json",
    ];
}
