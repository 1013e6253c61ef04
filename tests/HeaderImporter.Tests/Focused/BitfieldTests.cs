using XenGen.HeaderImporter.Tests.Support;

namespace XenGen.HeaderImporter.Tests.Focused;

/// <summary>
/// Bitfields: each bitfield set to all ones in an otherwise zero object; the bits that are set must be the model's
/// bit offset and width. On x86 a program built for the target runs here (x86_64 natively, x86_32 as a static i686
/// executable) and reports them; Arm programs cannot run here, so for Arm the object is a static initializer and
/// the bits are read from the bytes clang writes into the assembly. vioapic_redir_entry (arch-x86/hvm/save.h) is
/// also checked on x86 in both ways.
/// </summary>
public sealed class BitfieldTests
{
    public static TheoryData<string, string> X86()
    {
        var data = new TheoryData<string, string>();
        foreach (var pin in Releases.Catalog.Releases)
        {
            data.Add(pin.Release, TargetArch.X86_64.Name);
            data.Add(pin.Release, TargetArch.X86_32.Name);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Releases.All), MemberType = typeof(Releases))]
    public void Every_bitfield_occupies_the_bits_clang_gives_it(string release, string arch)
    {
        var model = Releases.Import(release, arch).Model;
        var peer = new LayoutPeer(model, run: CProgram.CanRun(TargetArch.Parse(arch)));
        var tops = model.Records.Where(r => r.Fields.Any(f => f.BitWidth.HasValue)).Select(peer.TopOf)
            .Where(r => LayoutPeer.CName(r) != null && !r.Header.StartsWith("sys/", StringComparison.Ordinal)).DistinctBy(r => r.Id).ToList();
        Assert.Contains(tops, r => r.Id == (TargetArch.Parse(arch).Family == "x86" ? "vioapic_redir_entry" : "ioreq"));
        int bitfields = tops.SelectMany(peer.Flatten).Count(p => p.Field.BitWidth.HasValue);
        Assert.True(bitfields >= 10, $"only {bitfields} bitfields found");
        foreach (var r in tops) peer.AddRecord(r);
        peer.Check();
    }

    [Theory]
    [MemberData(nameof(X86))]
    public void Vioapic_redirection_entry_has_the_ioapic_layout(string release, string arch)
    {
        // The I/O APIC redirection entry of arch-x86/hvm/save.h, as the hardware defines it.
        var model = Releases.Import(release, arch).Model;
        var peer = new LayoutPeer(model, run: true);
        var compiled = new LayoutPeer(model, run: false);
        var entry = peer.Record("vioapic_redir_entry");
        var fields = peer.Flatten(entry).ToDictionary(p => p.Path);
        (string Name, long Bit, int Width)[] expected =
        [
            ("fields.delivery_mode", 8, 3), ("fields.dest_mode", 11, 1), ("fields.delivery_status", 12, 1),
            ("fields.polarity", 13, 1), ("fields.remote_irr", 14, 1), ("fields.trig_mode", 15, 1),
            ("fields.mask", 16, 1), ("fields.reserve", 17, 7),
        ];
        foreach (var (name, bit, width) in expected)
        {
            var p = Assert.Contains(name, (IDictionary<string, FieldPath>)fields);
            Assert.Equal((bit, (int?)width), (p.OffsetBits, p.Field.BitWidth));
        }
        Assert.Equal(56, fields["fields.dest_id"].OffsetBits);
        Assert.Equal(8, entry.Size);
        peer.AddRecord(entry);
        peer.Check();
        compiled.AddRecord(entry);
        compiled.Check();
    }
}
