using Xunit.Abstractions;
using System.Text.RegularExpressions;

namespace Xen.Kernel.Tests;

/// <summary>
/// The image as an `xl create` guest with type = "pvh", a disk on Linux's blkback and a vif on netback, on real Xen
/// 4.17 (tools/realxen), once with Debian's C xenstored and once with ours (tools/xenstored --xen): Xen's libelf
/// loads it by its PHYS32_ENTRY note, Xen prints its port 0xe9 lines on its console as "(dN) ..." (realxen boots
/// Xen with guest_loglvl=all; `realxen run --verbose` relays them on stderr), and from its console step on the same
/// lines go to its PV console, which dom0's xenconsoled logs. Dom0 reads the keys the guest wrote with
/// xenstore-read, then asks it to power off with `xl shutdown`, which it answers through its control/shutdown
/// watch. The peers are Xen, xl, the store, xenconsoled and Linux's backends; one boot per store.
/// </summary>
[Trait("Category", "RealXen")]
[Collection(KernelImageCollection.Name)]
public sealed class RealXenBootTests(KernelImage image, ITestOutputHelper output)
{
    /// <summary>The seed's rc.local keys as the kernel writes them (Pvbus/RcLocalKeys).</summary>
    private static readonly (string Key, string Value)[] RcLocalKeys =
    [
        ("attr/PVAddons/MajorVersion", "6"),
        ("attr/PVAddons/MinorVersion", "2"),
        ("attr/PVAddons/MicroVersion", "0"),
        ("attr/PVAddons/BuildVersion", "76888"),
        ("attr/PVAddons/Installed", "1"),
        ("data/os_name", "XenGen kernel"),
        ("data/os_uname", "kernel"),
        ("data/os_distro", "XenGen"),
        ("attr/vif/0/ipv4/0", "192.0.2.1"),
        ("attr/vif/0/ipv6/0", "2001:db8::1"),
        ("data/updated", "1"),
    ];

    /// <summary>The nexus on xensim with the same configuration, run once for both stores.</summary>
    private static readonly Lazy<IReadOnlyList<string>> Nexus = new(Xensim.AttachLog);

    [Theory]
    [InlineData("c")]
    [InlineData("ours")]
    public void Boots_on_xen_attaches_in_xen4_order_logs_to_its_pv_console_writes_the_rc_local_keys_lists_its_devices_and_answers_xl_shutdown(string store)
    {
        var nexus = Nexus.Value;
        var run = RealXenGuest.Run(image.Elf, RcLocalKeys.Select(k => k.Key), store);
        var report = run.Report;
        Assert.True(run.ExitCode == 0, report);
        Assert.Contains("== gone yes", run.Stdout, StringComparison.Ordinal);
        var domid = Regex.Match(run.Stdout, @"^== domid (\d+)$", RegexOptions.Multiline);
        Assert.True(domid.Success, report);
        var d = domid.Groups[1].Value;

        // Xen prefixes a guest's debug-port lines with its domain: "(d1) xen-kernel: C# entry".
        var guest = Regex.Matches(run.Stderr, $@"^\(d{d}\) (.*)$", RegexOptions.Multiline).Select(m => m.Groups[1].Value.TrimEnd()).ToList();
        var log = string.Join('\n', guest);
        report += $"\n--- guest d{d}\n{log}";
        output.WriteLine($"guest d{d} on Xen's console:\n{log}\n--- dom0\n{run.Stdout}");
        var expected = new List<string>
        {
            "^xen-kernel: C# entry$",
            "^pvh0: hvm_start_info at 0x[0-9a-f]{8} version 1, 0 modules",
            "^cpu0: ",
            @"^xen0 at pvbus0: Xen 4\.17 \(cpuid 0x40000[0-9a-f]00\)$",
            @"^xen0: hypercall page at gfn 0x[0-9a-f]+ \(msr 0x[0-9a-f]{8}, 1 page\)$",
            "^xen0: features 0x[0-9a-f]+<[A-Za-z0-9_,]+>$",
            "^xen0: shared info at gfn 0x[0-9a-f]+$",
            @"^xen0: callback vector 243 \(0xf3\)$",
            "^xen0: event channels: 2-level ABI, 4096 ports, 1 vCPU, vcpu_info at gfn 0x[0-9a-f]+, all masked$",
            "^xen0: grant table frames allocated [1-9][0-9]*/[1-9][0-9]*, [1-9][0-9]* free references$",
            "^xencons0 at xen0: gfn 0x[0-9a-f]+ port [1-9][0-9]*$",
            $"^xenstore0 at xen0: gfn 0x[0-9a-f]+ port [1-9][0-9]*, domain {d} \"xenkernel\"$",
        };
        expected.AddRange(RcLocalKeys.Select(k => $"^pvbus0: {Regex.Escape(k.Key)} = \"{Regex.Escape(k.Value)}\"$"));
        expected.AddRange(
        [
            $@"^""vbd"" at xen0: device/vbd/51712 backend 0 \(/local/domain/0/backend/vbd/{d}/51712\) not configured$",
            $@"^""vif"" at xen0: device/vif/0 backend 0 \(/local/domain/0/backend/vif/{d}/0\) not configured$",
            "^xen0: 2 devices in device/$",
            "^xen0: watching control/shutdown$",
            "^xen0: shutdown request \"poweroff\": SHUTDOWN_poweroff$",
            "^xen0: [1-9][0-9]* upcalls on vector 243, [1-9][0-9]* events$",
            @"^xen0: SCHEDOP_shutdown\(SHUTDOWN_poweroff\)$",
        ]);
        // Every expected line, in this order (the vbd and vif lines in the store's directory order).
        var at = 0;
        foreach (var pattern in expected)
        {
            var found = guest.FindIndex(at, line => Regex.IsMatch(line, pattern));
            if (found < 0 && pattern.Contains("\"vbd\"", StringComparison.Ordinal))
                found = guest.FindIndex(line => Regex.IsMatch(line, pattern));
            Assert.True(found >= 0, $"no line /{pattern}/ after line {at}:{report}");
            at = Math.Max(at, found + 1);
        }
        Assert.DoesNotContain("error", log, StringComparison.Ordinal);
        Assert.DoesNotContain("fatal", log, StringComparison.Ordinal);
        Assert.DoesNotContain("ENOENT", log, StringComparison.Ordinal);

        // The features named as the nexus names the bits Xen gave (Xen.Abi's XENFEAT_* names).
        var features = Regex.Match(log, "^xen0: features 0x([0-9a-f]+)<(.*)>$", RegexOptions.Multiline);
        var bits = Convert.ToUInt32(features.Groups[1].Value, 16);
        Assert.Equal(Xen.Nexus.Init.FeaturesStep.Describe(bits), features.Groups[2].Value);

        // xenconsoled's log of the PV console: every line from the one after the console step to the control
        // watch, in order (the lines after it may be cut by the domain's end).
        var console = RealXenGuest.ConsoleLog(run.Stdout);
        report += $"\n--- xenconsoled's log of the guest\n{string.Join('\n', console)}";
        var afterConsole = guest.FindIndex(l => l.StartsWith("xencons0 at xen0: ", StringComparison.Ordinal)) + 1;
        var watching = guest.FindIndex(l => l == "xen0: watching control/shutdown");
        var onConsole = 0;
        for (var i = afterConsole; i <= watching; i++)
        {
            var found = console.ToList().FindIndex(onConsole, l => l == guest[i]);
            Assert.True(found >= 0, $"PV console: no line \"{guest[i]}\" after its line {onConsole}:{report}");
            onConsole = found + 1;
        }
        Assert.DoesNotContain(console, l => l.StartsWith("xen-kernel: C# entry", StringComparison.Ordinal));

        // The same steps as the nexus on the simulated Xen with the same configuration, values aside.
        var difference = AttachLogs.Compare(guest, nexus);
        Assert.True(difference is null, $"{difference}\n--- nexus on xensim\n{string.Join('\n', nexus)}{report}");

        // What dom0's xenstore-read saw while the guest ran.
        foreach (var (key, value) in RcLocalKeys)
            Assert.Contains($"== key {key} = {value}\n", run.Stdout, StringComparison.Ordinal);
    }
}
