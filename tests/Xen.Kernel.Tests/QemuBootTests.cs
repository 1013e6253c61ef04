namespace Xen.Kernel.Tests;

/// <summary>The image boots under plain QEMU: the C# entry runs, reads what the loader and the CPU present, finds no Xen, exits.</summary>
[Collection(KernelImageCollection.Name)]
public sealed class QemuBootTests(KernelImage image)
{
    /// <summary>isa-debug-exit's status for KernelExit.XenNotFound (1): 2*1+1.</summary>
    private const int XenNotFoundStatus = 3;

    [Fact]
    public void Boots_reads_the_start_info_and_the_cpu_and_reports_no_xen()
    {
        // Chosen per run, so only a kernel that really reads QEMU's start info and CPUID can print them.
        var tag = Guid.NewGuid().ToString("N")[..8];
        var cmdline = $"xengen.test={tag} console=hvc0";
        var vendor = $"Test{tag}";

        var (status, log) = Qemu.BootPvh(image.Elf, cmdline, vendor, TimeSpan.FromSeconds(120));

        var lines = log.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 5, $"expected 5 log lines:\n{log}");
        Assert.Equal("xen-kernel: C# entry", lines[0]);
        Assert.Matches($"^pvh0: hvm_start_info at 0x[0-9a-f]{{8}} version 1, 0 modules, memory map of [1-9][0-9]* entries, cmdline \"{cmdline}\"$", lines[1]);
        Assert.Matches($"^cpu0: {vendor}, max leaf 0x[0-9a-f]{{8}}$", lines[2]);
        Assert.Equal("xen0: not found: no XenVMMXenVMM signature in CPUID 0x40000000..0x4000ff00", lines[3]);
        Assert.Equal("xen-kernel: halting", lines[4]);
        Assert.True(status == XenNotFoundStatus, $"QEMU exit status {status}, expected {XenNotFoundStatus} (isa-debug-exit of KernelExit.XenNotFound):\n{log}");
    }

    [Fact]
    public void Image_has_the_pvh_entry_note_of_xen_abi_pointing_at_the_32_bit_entry()
    {
        var notes = Processes.Run("readelf", ["--notes", "--wide", image.Elf], TimeSpan.FromSeconds(30));
        Assert.Equal(0, notes.ExitCode);
        // readelf does not name Xen's note types: "Xen  0x00000004  Unknown note type: (0x00000012)  description data: 20 00 10 00"
        var note = System.Text.RegularExpressions.Regex.Match(notes.Stdout,
            @"Xen\s+0x00000004\s+Unknown note type: \((0x[0-9a-f]+)\)\s+description data: ((?:[0-9a-f]{2} ?){4})");
        Assert.True(note.Success, notes.Stdout);
        Assert.Equal(Xen.Abi.Elfnote.XenElfnotePhys32Entry, Convert.ToInt32(note.Groups[1].Value, 16));
        var address = note.Groups[2].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select((b, i) => Convert.ToUInt32(b, 16) << (8 * i)).Aggregate(0u, (a, b) => a | b);

        var symbols = Processes.Run("nm", [image.Elf], TimeSpan.FromSeconds(30));
        var entry = symbols.Stdout.Split('\n').Single(l => l.EndsWith(" pvh_start32", StringComparison.Ordinal)).Split(' ')[0];
        Assert.Equal(Convert.ToUInt32(entry, 16), address);
    }
}
