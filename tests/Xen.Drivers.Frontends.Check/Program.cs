using System.CommandLine;

namespace Xen.Drivers.Frontends.Check;

/// <summary><c>xen-front-check dom0 --modules DIR</c> in realxen's dom0, <c>xen-front-check guest ...</c> in the guests it boots.</summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var modules = new Option<string>("--modules") { Description = "The guest kernel's modules folder ($REALXEN_MODULES)", Required = true, HelpName = "DIR" };
        var seed = new Option<ulong>("--seed") { Description = "The seed of the disks' content and the random job", DefaultValueFactory = _ => 1616 };
        var ops = new Option<int>("--ops") { Description = "Operations of each of the random job's workers", DefaultValueFactory = _ => 40 };
        var diskBackends = new Option<string[]>("--backend") { Description = "The disk backends of the guest (two disks each, beside its xen-netback vif): kernel (xen-blkback), qdisk", HelpName = "NAME", DefaultValueFactory = _ => ["kernel", "qdisk"] };
        diskBackends.AcceptOnlyFromAmong("kernel", "qdisk");
        var dom0 = new Command("dom0", "In dom0: make the images, boot one guest with two disks on each backend and a xen-netback vif, check the files after") { modules, seed, ops, diskBackends };
        dom0.SetAction((r, cancel) => Dom0Checks.RunAsync(r.GetValue(modules)!, r.GetValue(seed), r.GetValue(ops), r.GetValue(diskBackends)!, cancel));

        var random = new Option<string[]>("--random") { Description = "A disk (xvda, ...) to run the random job on", HelpName = "DISK" };
        var copy = new Option<string[]>("--copy") { Description = "IMAGE:DISK: copy an image file onto a disk by nbdcopy through our NBD export of it (repeatable)", HelpName = "IMAGE:DISK" };
        var address = new Option<string?>("--address") { Description = "The guest's address on the TAP bridged to xnf0 (CIDR)" };
        var peer = new Option<string?>("--peer") { Description = "dom0's address to ping and run iperf3 against" };
        var seconds = new Option<int>("--iperf-seconds") { Description = "Seconds of each iperf3 run", DefaultValueFactory = _ => 3 };
        var guest = new Command("guest", "In a guest without the kernel's frontends: Xbf and Xnf through /dev/xen") { random, copy, address, peer, seconds, seed, ops };
        guest.SetAction((r, cancel) =>
        {
            var copies = (r.GetValue(copy) ?? []).Select(c => c.Split(':') is [var from, var to] && from.Length > 0 && to.Length > 0
                ? new DiskCopy(from, to) : throw new ArgumentException($"--copy '{c}': IMAGE:DISK")).ToArray();
            if ((r.GetValue(address) is null) != (r.GetValue(peer) is null)) throw new ArgumentException("--address and --peer go together");
            var plan = new GuestPlan(r.GetValue(random) ?? [], copies, r.GetValue(address), r.GetValue(peer), r.GetValue(seed), r.GetValue(ops), r.GetValue(seconds));
            return GuestChecks.RunAsync(plan, cancel);
        });
        var rounds = new Option<int>("--rounds") { Description = "Times each guest (ours, the kernel's) runs the bench, alternating", DefaultValueFactory = _ => 1 };
        var megabytes = new Option<int>("--megabytes") { Description = "MB each disk's sequential pass covers", DefaultValueFactory = _ => 32 };
        var randomReads = new Option<int>("--random-reads") { Description = "4 KiB random reads of each disk's pass", DefaultValueFactory = _ => 2000 };
        var qdisk = new Option<bool>("--qdisk") { Description = "Also a disk on QEMU's qdisk (xvdb)" };
        var benchDom0 = new Command("bench-dom0", "In dom0: the bench's guests, ours and the kernel's frontends, on the same xen-blkback (and qdisk) and xen-netback") { modules, rounds, megabytes, randomReads, seconds, qdisk };
        benchDom0.SetAction((r, cancel) => Dom0Bench.RunAsync(r.GetValue(modules)!, r.GetValue(rounds), r.GetValue(megabytes), r.GetValue(randomReads), r.GetValue(seconds), r.GetValue(qdisk), cancel));
        var ours = new Option<bool>("--ours") { Description = "Through Xbf and Xnf (else through the kernel's /dev/xvdX and eth0)" };
        var benchDisks = new Option<string[]>("--disk") { Description = "A disk to run the job on", HelpName = "DISK", Required = true };
        var backends = new Option<string[]>("--backend") { Description = "The backend of each --disk, for the report", HelpName = "NAME", Required = true };
        var bench = new Command("bench", "In a guest: the bench job on each disk and iperf3 with dom0") { ours, benchDisks, backends, address, peer, megabytes, randomReads, seconds };
        bench.SetAction((r, cancel) =>
        {
            var names = r.GetValue(benchDisks)!;
            var kinds = r.GetValue(backends)!;
            if (names.Length != kinds.Length) throw new ArgumentException("one --backend for each --disk");
            if (r.GetValue(address) is not { } a || r.GetValue(peer) is not { } p) throw new ArgumentException("bench: --address and --peer are needed");
            return GuestBench.RunAsync(r.GetValue(ours), names, kinds, a, p, (long)r.GetValue(megabytes) << 20, r.GetValue(randomReads), r.GetValue(seconds), cancel);
        });
        var root = new RootCommand("Our frontends (Xbf, Xnf) on real Xen against Linux's and QEMU's backends") { dom0, guest, benchDom0, bench };
        return await root.Parse(args).InvokeAsync().ConfigureAwait(false);
    }
}
