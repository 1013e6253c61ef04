using Xen.Linux.Grants;
using Xen.XenStore.Client;
using Xen.XenStore.Client.Transports;

namespace Xen.Conformance.Linux;

/// <summary>The guest's run: its own cases, then the offer for dom0 and the answers after dom0 is done.</summary>
internal static class GuestSide
{
    public static async Task<int> RunAsync(CancellationToken cancel)
    {
        // Its answers reach the log through dom0 (XenStore): the guest's console drops lines under load.
        var log = new CaseLog("guest", Console.WriteLine, writeAnswers: false);
        await using var store = new XenStoreClient(XsXenbusDeviceTransport.Open());
        ushort domid = ushort.Parse(await store.ReadStringAsync("domid", cancel));
        foreach (var key in ConformanceSuite.Dom0Keys) await store.WriteAsync($"{XenStoreLink.GuestFolder}/{key}", "", cancel);
        using var xen = new PrivcmdXenDomain(domid);
        using var granter = new GntallocGranter(LinuxGrantService.Open());
        await ConformanceSuite.RunGuestAsync(xen, granter, new XenStoreLink(store, XenStoreLink.GuestFolder), log, cancel);
        log.Info("cases over; releasing the grants and devices");
        return 0;
    }
}
