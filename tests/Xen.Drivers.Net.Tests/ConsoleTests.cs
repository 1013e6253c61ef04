using System.Globalization;
using System.Text.RegularExpressions;
using Xen.Abi.Io;
using Xen.Drivers.Console;
using Xen.Nexus.Platform;

namespace Xen.Drivers.Net.Tests;

/// <summary>
/// The console page (HVM_PARAM_CONSOLE_PFN/EVTCHN): the guest's log read line by line by dom0's console daemon, and
/// what dom0 types read by the guest, woken by the console's event channel.
/// </summary>
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

    [Fact]
    public async Task What_dom0_types_reaches_the_guest_byte_for_byte_through_a_full_ring()
    {
        using var env = new NetworkOnDom0();
        var console = await GuestConsoleAsync(env);
        // Five times the in ring: dom0 must wait for the guest to read, and the guest for dom0 to write.
        var typed = new byte[5 * (int)XenconsInterfaceRing.InSize + 17];
        new Random(11).NextBytes(typed);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var reader = Task.Run(async () =>
        {
            var got = new List<byte>();
            var buffer = new byte[300];
            while (got.Count < typed.Length)
            {
                var n = await console.ReadAsync(buffer, timeout.Token);
                Assert.True(n > 0, "input stopped");
                got.AddRange(buffer.AsSpan(0, n));
            }
            return got.ToArray();
        });
        var rest = typed.AsMemory();
        while (!rest.IsEmpty)
        {
            timeout.Token.ThrowIfCancellationRequested();
            var n = env.Dom0.Consoles.Write(env.Domain.DomainId, rest.Span);
            rest = rest[n..];
            if (n == 0) await Task.Delay(5);
        }
        Assert.Equal(typed, await reader.WaitAsync(TimeSpan.FromSeconds(60)));
        Assert.False(console.InputBroken);
        Assert.Equal(0, console.Read(new byte[16]));
    }

    [Fact]
    public async Task A_broken_in_index_stops_input_and_nothing_else()
    {
        using var env = new NetworkOnDom0();
        var console = await GuestConsoleAsync(env);
        var line = await env.WaitForLineAsync("xencons0 at xen0: gfn 0x");
        var gfn = ulong.Parse(Regex.Match(line, "gfn 0x([0-9a-f]+)").Groups[1].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        ClaimTooMuchInput(env.Domain, gfn);
        env.Dom0.Consoles.Write(env.Domain.DomainId, "x"u8);
        Assert.Equal(0, await console.ReadAsync(new byte[64]).AsTask().WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.True(console.InputBroken);
        Assert.Equal(0, console.Read(new byte[64]));
        // Output still works.
        console.WriteLine("still here");
        var until = DateTime.UtcNow.AddSeconds(15);
        while (DateTime.UtcNow < until && !env.Dom0.Consoles.Lines(env.Domain.DomainId).Contains("still here")) await Task.Delay(10);
        Assert.Contains("still here", env.Dom0.Consoles.Lines(env.Domain.DomainId));
    }

    /// <summary>dom0 lies: the in ring's producer claims four rings' worth of input.</summary>
    private static unsafe void ClaimTooMuchInput(SimulatedDomain domain, ulong gfn)
    {
        var page = (XenconsInterface*)domain.Memory.Map(XenPage.Address(gfn), XenPage.Size);
        Volatile.Write(ref page->InProd, page->InCons + 4 * XenconsInterfaceRing.InSize);
    }

    private static async Task<XenConsole> GuestConsoleAsync(NetworkOnDom0 env)
    {
        await env.WaitForLineAsync("xencons0 at xen0: gfn 0x");
        // Input is woken by the console port once the nexus unmasks its ports.
        await env.WaitForLineAsync("event channels unmasked", 30);
        return env.Console.Console ?? throw new InvalidOperationException("no console attached");
    }
}
