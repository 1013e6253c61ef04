using System.Diagnostics;
using Xen.Services;
using Xen.XenStore.Client;
using Xen.XenStore.Client.Transports;

namespace Xen.Linux.Agent;

/// <summary>
/// dom0's half: hypercalls through privcmd, XenStore through /dev/xen/xenbus, then a guest booted with
/// <c>realxen guest</c> whose granted pages it maps (gntdev) and copies to and from, and whose port it binds and
/// notifies (evtchn); a bogus reference is refused by Xen, not by us.
/// </summary>
internal static class Dom0Checks
{
    private const uint BogusGrantRef = 0x7fff_fff0;

    // Under the emulator on a loaded machine a guest's boot takes minutes; on a quiet one, seconds.
    private const int GuestTimeoutSeconds = 1200;

    public static async Task<int> RunAsync(string guestModules, CancellationToken cancel)
    {
        var log = new CheckLog("dom0");
        using var agent = await LinuxXenServices.OpenAsync(new() { Log = log.Info }, cancel);
        var services = agent.Services;
        log.Check(services.DomainId == 0, "XenStore's domid is 0", services.DomainId.ToString());

        var version = agent.Privcmd!.XenVersion();
        log.Check(version is { Major: 4, Minor: 17 }, "IOCTL_PRIVCMD_HYPERCALL(__HYPERVISOR_xen_version, XENVER_version) is Xen 4.17", version.ToString());

        await using (var xenbus = new XenStoreClient(XsXenbusDeviceTransport.Open()))
        {
            string key = $"/local/domain/0/{Handshake.Folder}/xenbus";
            await xenbus.WriteAsync(key, "written through /dev/xen/xenbus", cancel);
            string back = await services.Store.ReadStringAsync(key, cancel);
            log.Check(back == "written through /dev/xen/xenbus", "a write through /dev/xen/xenbus reads back through xenstored's socket", back);
            log.Check(await xenbus.ReadStringAsync("domid", cancel) == "0", "a relative read through /dev/xen/xenbus resolves under dom0's home");
        }

        string self = Environment.ProcessPath!;
        string evtchn = Path.Combine(guestModules, "xen-evtchn.ko"), gntalloc = Path.Combine(guestModules, "xen-gntalloc.ko");
        using var guest = Process.Start(new ProcessStartInfo("realxen",
            ["guest", "--timeout", GuestTimeoutSeconds.ToString(), "--file", self, "--file", evtchn, "--file", gntalloc, "--",
             $"insmod {evtchn} && insmod {gntalloc} && {self} guest"]))!;
        try
        {
            await WithGuestAsync(services, guest, log, cancel);
        }
        finally
        {
            await guest.WaitForExitAsync(cancel);
        }
        log.Check(guest.ExitCode == 0, "the guest's checks passed (realxen guest exited 0)", guest.ExitCode.ToString());
        return log.ExitStatus();
    }

    private static async Task WithGuestAsync(XenDomainServices services, Process guestProcess, CheckLog log, CancellationToken cancel)
    {
        var store = services.Store;
        ushort guest = 0;
        var waiting = Stopwatch.StartNew();
        var lastReport = TimeSpan.Zero;
        bool ready = await Handshake.Eventually(async () =>
        {
            var domains = await store.DirectoryAsync("/local/domain", cancel);
            if (waiting.Elapsed - lastReport > TimeSpan.FromMinutes(1))
            {
                lastReport = waiting.Elapsed;
                log.Info($"waiting for the guest ({waiting.Elapsed.TotalSeconds:0} s): domains {string.Join(' ', domains)}");
            }
            foreach (var entry in domains)
            {
                if (entry != "0" && await store.ExistsAsync($"/local/domain/{entry}/{Handshake.Folder}/ready", cancel))
                {
                    guest = ushort.Parse(entry);
                    return true;
                }
            }
            return false;
        }, TimeSpan.FromSeconds(GuestTimeoutSeconds - 60), () => guestProcess.HasExited, cancel);
        log.Check(ready, "the guest published its grants and port through its /dev/xen/xenbus");
        if (!ready) return;
        string home = $"/local/domain/{guest}/{Handshake.Folder}";
        uint[] refs = (await store.ReadStringAsync($"{home}/grefs", cancel)).Split(' ').Select(uint.Parse).ToArray();
        uint remotePort = uint.Parse(await store.ReadStringAsync($"{home}/port", cancel));
        log.Info($"domain {guest} granted {string.Join(' ', refs)}, port {remotePort}");

        var foreign = services.ForeignMemory!;
        using (var mapped = foreign.Map(guest, refs, readOnly: false))
        {
            var bytes = mapped.Span;
            bool same = true;
            for (int i = 0; i < bytes.Length; i++) same &= bytes[i] == Handshake.GuestByte(i);
            log.Check(same, $"the guest's {refs.Length} gntalloc pages read the guest's pattern through IOCTL_GNTDEV_MAP_GRANT_REF and mmap");
            Handshake.Dom0Reply.CopyTo(bytes);
        }
        var copy = new byte[64];
        foreign.CopyFrom(guest, refs[1], 100, copy);
        log.Check(copy.Select((b, i) => b == Handshake.GuestByte(GrantedPages.XenPageSize + 100 + i)).All(x => x), "IOCTL_GNTDEV_GRANT_COPY from the guest's second page");
        foreign.CopyTo(guest, refs[1], Handshake.CopyOffset, Handshake.Dom0Copy);

        var refused = Record(() => foreign.Map(guest, [BogusGrantRef], readOnly: true).Dispose());
        log.Check(refused is GrantRefusedException, "Xen refuses to map a reference the guest never granted", refused?.Message ?? "no exception");
        refused = Record(() => foreign.CopyFrom(guest, BogusGrantRef, 0, copy));
        log.Check(refused is GrantRefusedException { Message: var m } && m.Contains("GNTST_"), "Xen refuses a copy from it with a GNTST_ status", refused?.Message ?? "no exception");

        var answered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        uint port = services.EventChannels.BindInterdomain(guest, remotePort, _ => answered.TrySetResult());
        services.EventChannels.Notify(port);
        bool back = await Task.WhenAny(answered.Task, Task.Delay(TimeSpan.FromSeconds(120), cancel)) == answered.Task;
        log.Check(back, "the guest's notification came back on the port bound with IOCTL_EVTCHN_BIND_INTERDOMAIN");
        services.EventChannels.Close(port);
    }

    private static Exception? Record(Action action)
    {
        try
        {
            action();
            return null;
        }
        catch (Exception e)
        {
            return e;
        }
    }
}
