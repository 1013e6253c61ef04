namespace Xen.Drivers.Net.Tests;

/// <summary>The guest's log on its console page (HVM_PARAM_CONSOLE_PFN/EVTCHN), read line by line by dom0's console daemon.</summary>
public sealed class ConsoleTests
{
    [Fact]
    public async Task The_guests_log_lines_reach_dom0_in_order()
    {
        using var env = new NetworkOnDom0();
        await env.ConnectAsync();
        var until = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < until && !env.Dom0.Consoles.Lines(env.Domain.DomainId).Any(l => l.StartsWith("xnf0 at xen0: address", StringComparison.Ordinal)))
            await Task.Delay(10);
        var read = env.Dom0.Consoles.Lines(env.Domain.DomainId);
        Assert.Contains(env.Lines(), l => l.StartsWith("xencons0 at xen0: gfn 0x", StringComparison.Ordinal));
        // What dom0 read is the guest's log from the console's attach on, line for line.
        var guest = env.Lines().Where(l => !l.StartsWith("toolstack:", StringComparison.Ordinal) && !l.StartsWith("vif", StringComparison.Ordinal) && !l.StartsWith("xenstored:", StringComparison.Ordinal)).ToArray();
        var from = Array.FindIndex(guest, l => l.StartsWith("xencons0 at", StringComparison.Ordinal));
        Assert.Equal(guest[from..(from + read.Count)], read);
        Assert.Contains(read, l => l.StartsWith("xnf0 at xen0: address 00:16:3e:01:00:00", StringComparison.Ordinal));
    }
}
