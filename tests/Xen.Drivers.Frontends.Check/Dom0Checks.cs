namespace Xen.Drivers.Frontends.Check;

/// <summary>
/// dom0's half of the check: makes the disk images and boots a guest for each backend asked for, each running
/// <see cref="GuestChecks"/> (the ext4 image goes in the guest's initramfs): <c>kernel</c>, whose two disks Linux's
/// xen-blkback serves and whose vif is xen-netback's, and <c>qdisk</c>, whose disks QEMU's qdisk serves. Afterwards it
/// compares each random job's file with the job replayed here, runs e2fsck on each disk the image was copied onto and
/// compares it with the image.
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

        foreach (var backend in backends.Distinct())
        {
            string random = Path.Combine(work, $"{backend}-random.img"), copy = Path.Combine(work, $"{backend}-copy.img");
            WritePattern(random, seed);
            await using (var empty = File.Create(copy)) empty.SetLength(ImageBytes);
            bool nic = backend == "kernel";
            string[] options =
            [
                "--disk", $"{random},backend={backend}", "--disk", $"{copy},backend={backend}", "--file", source,
                .. nic ? new[] { "--nic" } : [],
            ];
            string guestArgs = $"guest --random xvda --copy {source}:xvdb --seed {seed} --ops {operations}" + (nic ? $" --address {GuestAddress} --peer {Dom0Address}" : "");
            int exit = await guests.RunAsync($"front-{backend}", options, ["/usr/bin/nbdcopy", "/usr/bin/iperf3"], guestArgs);
            log.Check(exit == 0, $"the guest on {backend} backends passed its checks (realxen guest exited 0)", exit.ToString());

            var expected = new DiskJob(seed, DiskBytes, operations).FinalContent();
            var actual = await File.ReadAllBytesAsync(random, cancel);
            log.Check(actual.AsSpan().SequenceEqual(expected), $"{backend}: the backing file holds exactly what the guest's random job through xbf wrote", FirstDifference(actual, expected));
            await Ext4Image.CheckCopyAsync(source, copy, backend, log);
        }
        Directory.Delete(work, recursive: true);
        return log.ExitStatus();
    }

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
