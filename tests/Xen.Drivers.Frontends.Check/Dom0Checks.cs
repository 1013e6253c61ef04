namespace Xen.Drivers.Frontends.Check;

/// <summary>
/// dom0's half of the check: makes the disk images and boots one guest running <see cref="GuestChecks"/> (the ext4
/// image goes in its initramfs) with two disks on each backend asked for — <c>kernel</c>, Linux's xen-blkback (loop
/// devices), and <c>qdisk</c>, QEMU's qdisk — and a vif that xen-netback serves. The first disk of each backend gets
/// the random job, the second the ext4 copy. Afterwards it compares each random job's file with the job replayed
/// here, runs e2fsck on each disk the image was copied onto and compares it with the image. While the guest runs,
/// <see cref="VifMonitor"/> reports dom0's side of the vif.
/// </summary>
internal static class Dom0Checks
{
    public const string Dom0Address = "10.77.0.1";
    public const string GuestAddress = "10.77.0.2/24";
    private const long DiskBytes = 32L << 20;
    private const long ImageBytes = 16L << 20;

    public static async Task<int> RunAsync(string modules, ulong seed, int operations, IReadOnlyList<string> backends, CancellationToken cancel)
    {
        var log = new CheckLog("dom0");
        string work = Directory.CreateTempSubdirectory("xen-front-").FullName;
        var guests = new GuestRun(modules, log);
        string source = Path.Combine(work, "ext4.img");
        await Ext4Image.CreateAsync(source, Path.Combine(work, "tree"), ImageBytes, seed, log);
        await Tool.CheckAsync("ip", ["addr", "add", Dom0Address + "/24", "dev", "xenbr0"], TimeSpan.FromSeconds(30));
        await using var iperf = await IperfServer.StartAsync(Path.Combine(work, "iperf3.pid"));

        var options = new List<string> { "--file", source, "--nic" };
        var guestArgs = new List<string> { "guest", "--seed", seed.ToString(), "--ops", operations.ToString(), "--address", GuestAddress, "--peer", Dom0Address };
        var used = backends.Distinct().ToArray();
        for (var i = 0; i < used.Length; i++)
        {
            string random = RandomFile(work, used[i]), copy = CopyFile(work, used[i]);
            WritePattern(random, seed);
            await using (var empty = File.Create(copy)) empty.SetLength(ImageBytes);
            options.AddRange(["--disk", $"{random},backend={used[i]}", "--disk", $"{copy},backend={used[i]}"]);
            guestArgs.AddRange(["--random", DiskName(2 * i), "--copy", $"{source}:{DiskName(2 * i + 1)}"]);
        }
        int exit;
        await using (VifMonitor.Start(log))
            exit = await guests.RunAsync("front", options, ["/usr/bin/nbdcopy", "/usr/bin/iperf3"], string.Join(' ', guestArgs));
        log.Check(exit == 0, $"the guest on {string.Join(" and ", used)} disks and xen-netback passed its checks (realxen guest exited 0)", exit.ToString());

        var expected = new DiskJob(seed, DiskBytes, operations).FinalContent();
        foreach (var backend in used)
        {
            var actual = await File.ReadAllBytesAsync(RandomFile(work, backend), cancel);
            log.Check(actual.AsSpan().SequenceEqual(expected), $"{backend}: the backing file holds exactly what the guest's random job through xbf wrote", FirstDifference(actual, expected));
            await Ext4Image.CheckCopyAsync(source, CopyFile(work, backend), backend, log);
        }
        Directory.Delete(work, recursive: true);
        return log.ExitStatus();
    }

    private static string RandomFile(string work, string backend) => Path.Combine(work, $"{backend}-random.img");

    private static string CopyFile(string work, string backend) => Path.Combine(work, $"{backend}-copy.img");

    /// <summary>The guest's name of its <paramref name="index"/>th disk (realxen gives them xvda, xvdb, ... in order).</summary>
    private static string DiskName(int index) => "xvd" + (char)('a' + index);

    private static void WritePattern(string file, ulong seed)
    {
        var bytes = new byte[DiskBytes];
        DiskPattern.Fill(bytes, 0, seed);
        File.WriteAllBytes(file, bytes);
    }

    private static string FirstDifference(byte[] actual, byte[] expected)
    {
        if (actual.Length != expected.Length) return $"{actual.Length} bytes, not {expected.Length}";
        int at = actual.AsSpan().CommonPrefixLength(expected);
        return at == actual.Length ? "" : $"first difference at byte {at} (sector {at / 512})";
    }
}
