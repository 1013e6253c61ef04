namespace Xen.Drivers.Frontends.Check;

/// <summary>
/// dom0's half of the bench: the same disks (xvda on Linux's xen-blkback, and with <c>qdisk</c> xvdb on QEMU's qdisk) and a vif, first
/// to a guest whose user space runs Xbf and Xnf, then to one whose kernel's xen-blkfront and xen-netfront serve them,
/// each running <see cref="GuestBench"/>, in this order, once a round.
/// </summary>
internal static class Dom0Bench
{
    private const long DiskBytes = 64L << 20;

    public static async Task<int> RunAsync(string modules, int rounds, int megabytes, int randomReads, int iperfSeconds, bool qdisk, CancellationToken cancel)
    {
        var log = new CheckLog("dom0");
        string work = Directory.CreateTempSubdirectory("xen-front-bench-").FullName;
        var guests = new GuestRun(modules, log);
        string kernelDisk = Path.Combine(work, "kernel.img"), qdiskDisk = Path.Combine(work, "qdisk.img");
        foreach (var file in new[] { kernelDisk, qdiskDisk })
            await using (var disk = File.Create(file)) disk.SetLength(DiskBytes);
        await Tool.CheckAsync("ip", ["addr", "add", Dom0Checks.Dom0Address + "/24", "dev", "xenbr0"], TimeSpan.FromSeconds(30));
        await using var iperf = await IperfServer.StartAsync(Path.Combine(work, "iperf3.pid"));
        string[] options = ["--disk", $"{kernelDisk},backend=kernel", .. qdisk ? new[] { "--disk", $"{qdiskDisk},backend=qdisk" } : [], "--nic"];
        string disks = "--disk xvda --backend xen-blkback" + (qdisk ? " --disk xvdb --backend qdisk" : "");
        for (int round = 1; round <= rounds; round++)
        {
            foreach (bool ours in new[] { true, false })
            {
                string address = ours ? Dom0Checks.GuestAddress : "10.77.0.3/24";
                string args = $"bench {(ours ? "--ours" : "")} {disks} --address {address} --peer {Dom0Checks.Dom0Address} --megabytes {megabytes} --random-reads {randomReads} --iperf-seconds {iperfSeconds}";
                int exit = await guests.RunAsync($"bench-{(ours ? "ours" : "kernel")}-{round}", options, ["/usr/bin/iperf3"], args, kernelFrontends: !ours);
                log.Check(exit == 0, $"round {round}: the bench guest with {(ours ? "our" : "the kernel's")} frontends ran (realxen guest exited 0)", exit.ToString());
            }
        }
        Directory.Delete(work, recursive: true);
        return log.ExitStatus();
    }
}
