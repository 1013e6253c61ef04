using System.CommandLine;
using System.Runtime.InteropServices;
using Xen.Nexus.Events;

namespace Xen.Simulator.Tool;

/// <summary><c>xensim run</c>: its options and what it does with them.</summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var domid = new Option<int>("--domid") { Description = "The guest's domain id (guests are numbered from 1)", DefaultValueFactory = _ => 1 };
        var vcpus = new Option<int>("--vcpus") { Description = "The guest's vCPUs", DefaultValueFactory = _ => 1 };
        var events = new Option<string>("--events") { Description = "Event channel ABI: 2l or fifo", DefaultValueFactory = _ => "fifo" };
        events.AcceptOnlyFromAmong("2l", "fifo");
        var disks = new Option<string[]>("--disk") { Description = "A disk image path (a vbd per use)", AllowMultipleArgumentsPerToken = false };
        var nics = new Option<string[]>("--nic") { Description = "A NIC, xl style: mac=..,bridge=.. (a vif per use; \"\" for defaults); backend-tap=NAME and guest-tap=NAME bridge its two ends to TAP devices" };
        var offload = new Option<string>("--offload") { Description = "Checksum and segmentation offload between xnf and netback (and their TAP devices): on or off", DefaultValueFactory = _ => "on" };
        offload.AcceptOnlyFromAmong("on", "off");
        var queues = new Option<int>("--queues") { Description = "The most queues xnf asks for (netback offers 4)", DefaultValueFactory = _ => 1 };
        var storeSocket = new Option<string?>("--store-socket") { Description = "Serve dom0's XenStore on this unix socket" };
        var pvbus = new Option<string?>("--pvbus") { Description = "Serve the guest's pvbus (XenStore wire protocol, as the guest) on this unix socket" };
        var seconds = new Option<double?>("--for") { Description = "Stop after this many seconds (default: until SIGINT/SIGTERM or the guest shuts down)" };
        var nbd = new Option<string?>("--nbd") { Description = "Export the guest's first disk, through its xbf0, as NBD on this unix socket" };
        var name = new Option<string>("--name") { Description = "The guest's name", DefaultValueFactory = _ => "guest" };
        var command = new Command("run", "Boot one guest and print its attach log") { domid, vcpus, events, disks, nics, offload, queues, storeSocket, pvbus, nbd, seconds, name };
        command.SetAction(async (result, cancel) =>
        {
            var options = new RunOptions(
                result.GetValue(domid), result.GetValue(vcpus),
                result.GetValue(events) == "2l" ? EventChannelAbiKind.TwoLevel : EventChannelAbiKind.Fifo,
                result.GetValue(disks) ?? [], result.GetValue(nics) ?? [],
                result.GetValue(storeSocket), result.GetValue(pvbus), result.GetValue(seconds), result.GetValue(name)!, result.GetValue(nbd))
            {
                Offload = result.GetValue(offload) == "on",
                Queues = result.GetValue(queues),
            };
            return await RunAsync(options);
        });
        return command;
    }

    private static async Task<int> RunAsync(RunOptions options)
    {
        using var stop = new CancellationTokenSource();
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stop.Cancel(); });
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.Cancel(); });
        if (options.Seconds is { } s) stop.CancelAfter(TimeSpan.FromSeconds(s));
        try
        {
            await using var session = await GuestSession.StartAsync(options, Console.Out);
            await session.RunUntilAsync(stop.Token);
            return 0;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            await Console.Error.WriteLineAsync($"xensim: {e.Message}");
            return 1;
        }
    }
}

/// <summary>What <c>xensim run</c> was asked for.</summary>
internal sealed record RunOptions(
    int DomainId, int Vcpus, EventChannelAbiKind Events, string[] Disks, string[] Nics,
    string? StoreSocket, string? PvbusSocket, double? Seconds, string Name, string? NbdSocket = null)
{
    /// <summary>Offloads between xnf and netback.</summary>
    public bool Offload { get; init; } = true;

    /// <summary>The most queues xnf asks for.</summary>
    public int Queues { get; init; } = 1;
}
