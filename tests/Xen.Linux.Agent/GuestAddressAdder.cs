using System.Diagnostics;
using System.Globalization;
using System.Net;
using Xen.XenStore.Client;

namespace Xen.Linux.Agent;

/// <summary>
/// The guest's side of the agent's address check, one process started long before it acts: when dom0 writes
/// <c>go</c>, it sends the marker's <c>XS_WRITE</c> (<c>adding</c>), adds the address with one rtnetlink request
/// while that write is on its way, and only then waits for the write's reply. The kernel announces the address
/// (<c>RTM_NEWADDR</c> to the agent) right after the marker entered the store's queue, so dom0's time from the
/// marker to the agent's key is the agent's own: no process start-up, in the guest or in dom0, lies between them.
/// </summary>
internal static class GuestAddressAdder
{
    private static readonly TimeSpan GoBound = TimeSpan.FromMinutes(10);

    public static async Task<int> RunAsync(string interfaceName, string cidr, CancellationToken cancel)
    {
        var log = new CheckLog("agent-guest");
        string[] parts = cidr.Split('/');
        if (parts.Length != 2 || !IPAddress.TryParse(parts[0], out var address) || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int prefix))
        {
            Console.Error.WriteLine($"add-address: --address {cidr}: not ADDRESS/PREFIX");
            return 2;
        }
        int index = RtnetlinkAddressRequest.IndexOf(interfaceName);
        using var netlink = RtnetlinkAddressRequest.Open();
        await using var store = XenStoreClient.Open();
        // Polled (not watched): the wait for go lies outside the measured time.
        if (!await Handshake.Eventually(async () => await store.ExistsAsync($"{GuestAgentChecks.Folder}/go", cancel), GoBound, () => false, cancel))
        {
            log.Check(false, $"dom0 wrote {GuestAgentChecks.Folder}/go within {GoBound.TotalMinutes:0} minutes");
            return log.ExitStatus();
        }
        var marker = store.WriteAsync($"{GuestAgentChecks.Folder}/adding", parts[0], cancel);
        long before = Stopwatch.GetTimestamp();
        netlink.AddIpv4(index, address, prefix);
        var took = Stopwatch.GetElapsedTime(before);
        await marker;
        log.Info($"added {parts[0]} on {interfaceName}");
        await store.WriteAsync($"{GuestAgentChecks.Folder}/add-time", took.TotalMilliseconds.ToString("0.000", CultureInfo.InvariantCulture), cancel);
        return 0;
    }
}
