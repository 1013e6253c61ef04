using Xen.Drivers.Xbf;
using Xen.Drivers.Xnf;
using Xen.Linux;
using Xen.Services.Xenbus;

namespace Xen.Drivers.Frontends.Check;

/// <summary>One image file in the guest's initramfs to copy onto a disk.</summary>
internal sealed record DiskCopy(string Source, string Target);

/// <summary>What the guest is asked to do (from dom0's <c>realxen guest</c> command line).</summary>
internal sealed record GuestPlan(string[] Random, DiskCopy[] Copies, string? Address, string? Peer, ulong Seed, int Operations, int IperfSeconds);

/// <summary>
/// The guest's half: Xbf and Xnf on the agent target (XenStore through /dev/xen/xenbus, gntalloc, evtchn) attached by
/// our xenbus probe to the devices the toolstack gave the guest, whose kernel has no frontends loaded.
/// </summary>
internal static class GuestChecks
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromMinutes(5);

    public static async Task<int> RunAsync(GuestPlan plan, CancellationToken cancel)
    {
        var log = new CheckLog("guest");
        CheckNoKernelDriver(log);
        using var agent = await LinuxXenServices.OpenAsync(new() { ForeignMemory = false, Hypercalls = false, Log = log.Info }, cancel);
        var xbf = new XbfDriver(new XbfOptions { MaxRingPageOrder = 2, MaxQueues = 1 });
        var xnf = new XnfDriver();
        var probe = new XenbusProbe(agent.Services, [xbf, xnf], "xen0", log.Info);
        using var network = plan.Address is null ? null : new GuestNetwork(xnf, probe, log);
        network?.Follow();
        await probe.StartAsync(cancel);
        try
        {
            string[] names = [.. plan.Random, .. plan.Copies.Select(c => c.Target)];
            var disks = await GuestDisks.WaitAsync(xbf, names, ConnectTimeout, log);
            foreach (var name in names)
                log.Check(disks.ContainsKey(name), $"{name}: xbf connected to its backend", disks.TryGetValue(name, out var d) ? Describe(d) : "not connected");
            foreach (var name in plan.Random.Where(disks.ContainsKey))
            {
                try { await GuestDisks.RandomAsync(name, disks[name], new DiskJob(plan.Seed, disks[name].SectorCount * 512, plan.Operations), log); }
                catch (Exception e) { log.Failed($"{name}: the random job", e); }
            }
            foreach (var (from, to) in plan.Copies.Where(c => disks.ContainsKey(c.Target)))
            {
                try { await GuestDisks.CopyAsync(from, to, disks[to], log); }
                catch (Exception e) { log.Failed($"the copy of {from} onto {to}", e); }
            }
            if (network is not null)
            {
                try { await network.RunAsync(plan.Address!, plan.Peer!, plan.IperfSeconds, ConnectTimeout); }
                catch (Exception e) { log.Failed("the network checks", e); }
            }
            foreach (var disk in disks.Values)
                log.Check(disk.State == XbfDiskState.Connected, $"{GuestDisks.NameOf(disk)}: still connected after the checks", disk.ErrorReason ?? disk.State.ToString());
        }
        finally
        {
            await probe.DetachAllAsync().WaitAsync(TimeSpan.FromSeconds(60), CancellationToken.None);
        }
        return log.ExitStatus();
    }

    private static string Describe(XbfDisk disk)
        => $"{disk.SectorCount} sectors of {disk.SectorSize}, {disk.QueueCount} queue(s) of {disk.RingSize}-entry rings, {disk.SegmentsPerRequest} segments a request{(disk.PersistentGrants ? ", persistent grants" : "")}";

    /// <summary>The kernel must leave the devices to us: no xenbus device of the guest has a kernel driver bound.</summary>
    private static void CheckNoKernelDriver(CheckLog log)
    {
        const string bus = "/sys/bus/xen/devices";
        var devices = Directory.Exists(bus) ? Directory.GetFileSystemEntries(bus).Select(Path.GetFileName).ToArray() : [];
        var claimed = devices.Where(d => Directory.Exists(Path.Combine(bus, d!, "driver"))).ToArray();
        log.Check(devices.Length > 0 && claimed.Length == 0, $"no kernel driver is bound to the guest's xenbus devices ({string.Join(' ', devices)})", string.Join(' ', claimed));
    }
}
