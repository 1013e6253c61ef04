using Xen.Linux.Events;

namespace Xen.Linux.Agent;

/// <summary>
/// The guest's half: grants dom0 two pages filled with a pattern (gntalloc), offers it an unbound port (evtchn),
/// publishes both in XenStore (through /dev/xen/xenbus), then waits for dom0's notification and checks what dom0
/// wrote through its mapping and its grant copy, and notifies back.
/// </summary>
internal static class GuestSide
{
    public static async Task<int> RunAsync(CancellationToken cancel)
    {
        var log = new CheckLog("guest");
        using var agent = await LinuxXenServices.OpenAsync(new() { ForeignMemory = false, Hypercalls = false, Log = log.Info }, cancel);
        var services = agent.Services;
        log.Info($"domain {services.DomainId}, XenStore through {Xen.XenStore.Client.Transports.XsXenbusDeviceTransport.DefaultPath}");

        using var pages = services.Grants.Grant(0, Handshake.Pages);
        Fill(pages.Span);
        var notified = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        uint port = services.EventChannels.AllocUnbound(0, _ => notified.TrySetResult());
        await services.Store.WriteAsync($"{Handshake.Folder}/grefs", string.Join(' ', pages.References), cancel);
        await services.Store.WriteAsync($"{Handshake.Folder}/port", port.ToString(), cancel);
        await services.Store.WriteAsync($"{Handshake.Folder}/ready", "1", cancel);
        log.Info($"granted {string.Join(' ', pages.References)} and port {port} to domain 0");

        bool arrived = await Task.WhenAny(notified.Task, Task.Delay(TimeSpan.FromSeconds(120), cancel)) == notified.Task;
        log.Check(arrived, "dom0's notification arrived on the port allocated with IOCTL_EVTCHN_BIND_UNBOUND_PORT");
        if (!arrived) return log.ExitStatus();
        Verify(pages.Span, log);
        services.EventChannels.Notify(port);
        log.Info("notified dom0 back");
        await Task.Delay(500, cancel); // the notification is on its way; the domain is destroyed once this exits
        return log.ExitStatus();
    }

    private static void Fill(Span<byte> bytes)
    {
        for (int i = 0; i < bytes.Length; i++) bytes[i] = Handshake.GuestByte(i);
    }

    private static void Verify(Span<byte> bytes, CheckLog log)
    {
        log.Check(bytes[..Handshake.Dom0Reply.Length].SequenceEqual(Handshake.Dom0Reply), "dom0 wrote into the first page through its gntdev mapping");
        var copied = bytes.Slice(Xen.Services.GrantedPages.XenPageSize + Handshake.CopyOffset, Handshake.Dom0Copy.Length);
        log.Check(copied.SequenceEqual(Handshake.Dom0Copy), "dom0's IOCTL_GNTDEV_GRANT_COPY landed in the second page");
        int untouched = Xen.Services.GrantedPages.XenPageSize + Handshake.CopyOffset + Handshake.Dom0Copy.Length;
        bool rest = true;
        for (int i = untouched; i < bytes.Length; i++) rest &= bytes[i] == Handshake.GuestByte(i);
        log.Check(rest, "the rest of the pages is as the guest wrote it");
    }
}
