using System.Globalization;
using Xen.Drivers.Xbf;
using Xen.Drivers.Xbf.Block;
using Xen.Drivers.Xnf;
using Xen.Linux;
using Xen.Services.Xenbus;

namespace Xen.Drivers.Frontends.Check;

/// <summary>
/// The bench in a guest: <see cref="BenchJob"/> on each disk and iperf3 both ways with dom0, through our frontends
/// (Xbf, Xnf with a TAP) or through the kernel's (xen-blkfront's /dev/xvdX, xen-netfront's eth0). Each result is one
/// <c>bench:</c> line the bench program reads.
/// </summary>
internal static class GuestBench
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromMinutes(5);

    public static async Task<int> RunAsync(bool ours, string[] disks, string[] backends, string address, string peer, long bytes, int randomReads, int iperfSeconds, CancellationToken cancel)
    {
        var log = new CheckLog("guest");
        string frontend = ours ? "xbf" : "xen-blkfront";
        string netFrontend = ours ? "xnf" : "xen-netfront";
        if (ours)
        {
            using var agent = await LinuxXenServices.OpenAsync(new() { ForeignMemory = false, Hypercalls = false, Log = log.Info }, cancel);
            var xbf = new XbfDriver(new XbfOptions { MaxRingPageOrder = 2, MaxQueues = 1 });
            var xnf = new XnfDriver();
            var probe = new XenbusProbe(agent.Services, [xbf, xnf], "xen0", log.Info);
            using var network = new GuestNetwork(xnf, probe, log);
            network.Follow();
            await probe.StartAsync(cancel);
            var found = await GuestDisks.WaitAsync(xbf, disks, ConnectTimeout, log);
            for (int i = 0; i < disks.Length; i++)
            {
                if (found.TryGetValue(disks[i], out var disk)) await DiskAsync(disk, backends[i], frontend, bytes, randomReads, log);
                else log.Check(false, $"{disks[i]}: xbf connected to its backend");
            }
            if (await network.UpAsync(address, ConnectTimeout)) await NetAsync(peer, netFrontend, iperfSeconds, log);
            await probe.DetachAllAsync().WaitAsync(TimeSpan.FromSeconds(60), CancellationToken.None);
        }
        else
        {
            for (int i = 0; i < disks.Length; i++)
            {
                using var disk = new KernelBlockDevice("/dev/" + disks[i]);
                await DiskAsync(disk, backends[i], frontend, bytes, randomReads, log);
            }
            await Tool.CheckAsync("ip", ["addr", "add", address, "dev", "eth0"], TimeSpan.FromSeconds(30));
            await Tool.CheckAsync("ip", ["link", "set", "eth0", "up"], TimeSpan.FromSeconds(30));
            await NetAsync(peer, netFrontend, iperfSeconds, log);
        }
        return log.ExitStatus();
    }

    private static async Task DiskAsync(IBlockDevice disk, string backend, string frontend, long bytes, int randomReads, CheckLog log)
    {
        try
        {
            var (write, read, iops) = await BenchJob.RunAsync(disk, Math.Min(bytes, disk.SectorCount * 512), randomReads);
            log.Info(string.Create(CultureInfo.InvariantCulture, $"bench: disk backend={backend} frontend={frontend} write_mbps={write:0.00} read_mbps={read:0.00} randread_iops={iops:0.0}"));
        }
        catch (Exception e)
        {
            log.Failed($"the bench job through {frontend} on {backend}", e);
        }
    }

    private static async Task NetAsync(string peer, string frontend, int seconds, CheckLog log)
    {
        double? send = await Iperf.RunAsync(peer, seconds, reverse: false, frontend, log);
        double? receive = await Iperf.RunAsync(peer, seconds, reverse: true, frontend, log);
        if (send is { } s && receive is { } r)
            log.Info(string.Create(CultureInfo.InvariantCulture, $"bench: net backend=xen-netback frontend={frontend} send_mbps={s / 1e6:0.00} receive_mbps={r / 1e6:0.00}"));
    }
}
