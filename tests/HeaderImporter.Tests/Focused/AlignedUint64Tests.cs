using Xen.Abi.Model;
using XenGen.HeaderImporter.Tests.Support;

namespace XenGen.HeaderImporter.Tests.Focused;

/// <summary>
/// <c>uint64_aligned_t</c> on x86_32: with <c>__XEN_TOOLS__</c> it is <c>uint64_t __attribute__((aligned(8)))</c>, so
/// these fields are 8-aligned inside structs whose other members only need 4 (the i386 ABI aligns plain
/// <c>uint64_t</c> members to 4). That keeps domctl/sysctl layouts the same for 32- and 64-bit tools.
/// </summary>
public sealed class AlignedUint64Tests
{
    public static TheoryData<string> ReleaseNames() => new(Releases.Catalog.Releases.Select(p => p.Release));

    [Theory]
    [MemberData(nameof(ReleaseNames))]
    public void Aligned_uint64_fields_are_8_aligned_on_x86_32_as_clang_lays_them_out(string release)
    {
        var model = Releases.Import(release, TargetArch.X86_32.Name).Model;
        var peer = new LayoutPeer(model, run: false);
        var tree = Releases.Tree(release);
        var parsed = model.Headers.Where(h => h.Skipped is null).Select(h => h.Path).ToList();
        var declared = DeclaratorScan.Members(tree, parsed, "uint64_aligned_t");
        Assert.True(declared.Count >= 50, $"only {declared.Count} uint64_aligned_t members in the headers");

        // Each declared member, found in the model: 8 bytes at an 8-aligned offset, in an 8-aligned record.
        var byName = model.Records.Where(r => !r.Header.StartsWith("sys/", StringComparison.Ordinal))
            .SelectMany(r => r.Fields.Where(f => f.Name != null).Select(f => (Record: r, Field: f)))
            .ToLookup(x => $"{x.Record.Header}: {x.Field.Name}");
        var missing = new List<string>();
        int checkedFields = 0;
        foreach (string member in declared)
        {
            var matches = byName[member].Where(x => x.Field.Size % 8 == 0 && x.Field.Type is not { Kind: TypeKinds.Record }).ToList();
            if (matches.Count == 0) { missing.Add(member); continue; }
            foreach (var (record, field) in matches)
            {
                Assert.True(field.OffsetBits % 64 == 0, $"{record.Id}.{field.Name} at bit {field.OffsetBits}");
                Assert.True(record.Align >= 8, $"{record.Id} is {record.Align}-aligned but holds uint64_aligned_t {field.Name}");
                var top = peer.TopOf(record);
                if (LayoutPeer.CName(top) != null) peer.AddRecord(top);
                checkedFields++;
            }
        }
        Assert.True(missing.Count == 0, $"declared uint64_aligned_t but not in the model as 8-byte fields: {string.Join("; ", missing)}");

        // A landmark: xen_domctl_getdomaininfo starts with domid_t, uint16_t, uint32_t; tot_pages comes at 8.
        var info = peer.Record("xen_domctl_getdomaininfo");
        Assert.Equal(64, info.Fields.Single(f => f.Name == "tot_pages").OffsetBits);
        Assert.Equal(8, info.Align);
        // And what the attribute changes: clang's own alignment of the two types for the target.
        peer.Value("alignof:uint64_aligned_t-member", "offsetof(struct { uint32_t a; uint64_aligned_t b; }, b)", 8);
        peer.Value("alignof:uint64_t-member", "offsetof(struct { uint32_t a; uint64_t b; }, b)", 4);
        peer.Check();
        Assert.True(checkedFields >= 50, $"only {checkedFields} fields checked");
    }
}
