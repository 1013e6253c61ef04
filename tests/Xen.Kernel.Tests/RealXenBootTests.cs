using System.Text.RegularExpressions;

namespace Xen.Kernel.Tests;

/// <summary>
/// The image as an `xl create` guest with type = "pvh" on real Xen 4.17 (tools/realxen): Xen's libelf loads it by
/// its PHYS32_ENTRY note, Xen prints its port 0xe9 lines on its console as "(d1) ..." (realxen boots Xen with
/// guest_loglvl=all; `realxen run --verbose` relays those lines on stderr), and the guest ends itself with
/// SCHEDOP_shutdown, so xl no longer lists it. The peers are Xen and Debian's xl.
/// </summary>
[Trait("Category", "RealXen")]
[Collection(KernelImageCollection.Name)]
public sealed class RealXenBootTests(KernelImage image)
{
    [Fact]
    public void Boots_as_a_pvh_guest_finds_xen_maps_the_hypercall_page_and_powers_itself_off()
    {
        var work = Directory.CreateTempSubdirectory("xen-kernel-realxen-").FullName;
        var script = Path.Combine(work, "dom0.sh");
        File.WriteAllText(script, $$"""
            cat > /tmp/xen-kernel.cfg <<CFG
            name = "xenkernel"
            type = "pvh"
            kernel = "{{image.Elf}}"
            memory = 32
            vcpus = 1
            on_poweroff = "destroy"
            on_crash = "preserve"
            CFG
            xl create /tmp/xen-kernel.cfg || exit 10
            gone=no
            for i in $(seq 1 300); do xl list xenkernel >/dev/null 2>&1 || { gone=yes; break; }; sleep 1; done
            echo "== gone $gone"
            """.Replace("\r", ""));
        var realxen = Path.Combine(KernelImage.Root, "tools", "realxen", "bin", "Release", "net10.0", "realxen.dll");
        var run = Processes.Run("dotnet", [realxen, "run", "--verbose", "--timeout", "3000", "--", "sh", script], TimeSpan.FromMinutes(60));
        Directory.Delete(work, recursive: true);

        var report = $"exit {run.ExitCode}\n--- stdout\n{run.Stdout}\n--- stderr\n{run.Stderr}";
        Assert.True(run.ExitCode == 0, report);
        Assert.Contains("== gone yes", run.Stdout, StringComparison.Ordinal);
        // Xen prefixes a guest's debug-port lines with its domain: "(d1) xen-kernel: C# entry".
        var guest = Regex.Matches(run.Stderr, @"^\(d[1-9][0-9]*\) (.*)$", RegexOptions.Multiline).Select(m => m.Groups[1].Value.TrimEnd()).ToList();
        var log = string.Join('\n', guest);
        Assert.True(guest.Count >= 6, report);
        Assert.Equal("xen-kernel: C# entry", guest[0]);
        Assert.Matches("^pvh0: hvm_start_info at 0x[0-9a-f]{8} version 1, 0 modules", guest[1]);
        Assert.Matches(@"^xen0 at pvbus0: Xen 4\.17 \(cpuid 0x40000[0-9a-f]00\)$", log.Split('\n')[3]);
        Assert.Matches(@"(?m)^xen0: hypercall page at gfn 0x[0-9a-f]+ \(msr 0x[0-9a-f]{8}, 1 page\)$", log);
        Assert.Matches(@"(?m)^xen0: features 0x[0-9a-f]{8}$", log);
        Assert.Matches(@"(?m)^xen0: SCHEDOP_shutdown\(SHUTDOWN_poweroff\)$", log);
        Assert.DoesNotContain("error", log, StringComparison.Ordinal);
    }
}
