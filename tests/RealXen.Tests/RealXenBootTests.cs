using XenGen.RealXen.Tests.OurXenstored;

namespace XenGen.RealXen.Tests;

/// <summary>
/// Boots of real Xen 4.17 under QEMU with Debian's kernel as dom0: the boot with Debian's C xenstored that
/// <see cref="OurXenstoredTests"/> also reads (<see cref="CXenstoredBoot"/>) checks dom0, a PV guest with a disk
/// and a vif and one whose disk QEMU's qdisk serves; two more fail on purpose. The peers are Xen, Linux (dom0's xen drivers, blkback, netback, a guest's
/// blkfront and netfront) and Debian's xl, xenstored and xenstore tools. One collection: boots do not run in parallel.
/// </summary>
[Trait("Category", "RealXen")]
[Collection("realxen boots")]
public sealed class RealXenBootTests(CXenstoredBoot cBoot)
{
    // The emulator is slow, and slower on a shared machine: bounds are generous, the tests assert nothing on time.
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(60);

    [Fact]
    public async Task One_boot_dom0_has_Xens_devices_store_and_hvm_and_a_pv_guest_sees_its_disk_and_vif_and_statuses_come_back()
    {
        var result = await cBoot.Result;
        var output = result.Output;

        Assert.True(result.ExitCode == 3, result.ToString());
        Assert.Matches(@"(?m)^Domain-0 +0 ", Section(output, "xl list"));
        foreach (var device in new[] { "evtchn", "gntdev", "gntalloc", "privcmd", "xenbus" })
            Assert.Contains(device, Section(output, "dev/xen").Split((char[])[' ', '\t', '\n'], StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal("0", Section(output, "domid").Trim());
        Assert.Equal("Domain-0", Section(output, "name").Trim());
        Assert.Matches(@"virt_caps\s*: pv hvm hap", Section(output, "virt_caps"));

        // realxen guest prints the guest's console: COMMAND's output in the guest, its exit status in dom0.
        var guest = Section(output, "guest devices");
        Assert.Contains("/dev/xvda", guest, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^131072$", guest);
        Assert.Matches(@"(?m)^00:16:3e:[0-9a-f]{2}:[0-9a-f]{2}:[0-9a-f]{2}$", guest);
        Assert.Contains("== guest status 7", output, StringComparison.Ordinal);
        Assert.Equal("1", Section(output, "domains after").Trim());

        // QEMU's qdisk (the only watcher of dom0's backend/qdisk) serves xvda: the guest reads dom0's bytes and
        // dom0 finds the guest's in the file; afterwards no QEMU and no qdisk backend is left.
        var qdisk = Section(output, "qdisk guest");
        Assert.Matches(@"(?m)^131072$", qdisk);
        Assert.Matches(@"(?m)^written-by-dom0$", qdisk);
        Assert.Matches(@"(?m)^guest-wrote$", qdisk);
        Assert.Contains("== qdisk guest status 0", output, StringComparison.Ordinal);
        Assert.Equal("written-by-guest", Section(output, "qdisk sector 1").Trim());
        Assert.Equal("0\n0", Section(output, "qdisk after").Trim());
        Assert.Contains("QEMU's qdisk running", qdisk, StringComparison.Ordinal);
        foreach (var step in new[] { "step Xen", "step dom0 kernel", "step modules", "step root", "step xenstored", "running COMMAND", "COMMAND exited 3" })
            Assert.Contains(step, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_dom0_kernel_that_is_not_a_kernel_fails_at_the_dom0_kernel_step()
    {
        var kernel = Path.Combine(Directory.CreateTempSubdirectory("realxen-test-").FullName, "not-a-kernel");
        await File.WriteAllBytesAsync(kernel, new byte[64 * 1024]);
        var result = await RealXenProcess.RunAsync(["run", "--timeout", "900", "--kernel", kernel, "--", "true"], Limit);

        Assert.True(result.ExitCode == 125, result.ToString());
        Assert.Contains("boot failed at step dom0 kernel: Xen panicked:", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_hypervisor_QEMU_cannot_load_fails_at_the_firmware_step()
    {
        var xen = Path.Combine(Directory.CreateTempSubdirectory("realxen-test-").FullName, "not-xen");
        await File.WriteAllBytesAsync(xen, new byte[64 * 1024]);
        var result = await RealXenProcess.RunAsync(["run", "--timeout", "300", "--hypervisor", xen, "--", "true"], Limit);

        Assert.True(result.ExitCode == 125, result.ToString());
        Assert.Contains("boot failed at step firmware: QEMU exited", result.Error, StringComparison.Ordinal);
    }

    /// <summary>The lines after <c>== NAME</c> up to the next <c>== </c> line.</summary>
    private static string Section(string output, string name)
    {
        var lines = output.ReplaceLineEndings("\n").Split('\n');
        var start = Array.FindIndex(lines, l => l == "== " + name);
        Assert.True(start >= 0, $"no section '{name}' in:\n{output}");
        return string.Join('\n', lines.Skip(start + 1).TakeWhile(l => !l.StartsWith("== ", StringComparison.Ordinal)));
    }
}
