using Xen.Abi.Model;
using XenGen.HeaderImporter.Tests.Support;

namespace XenGen.HeaderImporter.Tests.Focused;

/// <summary>
/// <c>xen_ulong_t</c>: <c>unsigned long</c> on x86, but <c>uint64_t</c> on Arm so that 32- and 64-bit Arm guests share
/// one layout: 8 bytes, 8-aligned on arm32 although <c>long</c> is 4 there.
/// </summary>
public sealed class XenUlongTests
{
    [Theory]
    [MemberData(nameof(Releases.All), MemberType = typeof(Releases))]
    public void Xen_ulong_fields_have_the_width_clang_gives_them(string release, string arch)
    {
        var model = Releases.Import(release, arch).Model;
        var peer = new LayoutPeer(model, run: false);
        long expected = arch == "x86_32" ? 4 : 8;

        var typedef = model.Typedefs.Single(t => t.Name == "xen_ulong_t");
        Assert.Equal((expected, expected), (typedef.Type.Size, typedef.Type.Align));
        peer.Value("xen_ulong_t:sizeof", "sizeof(xen_ulong_t)", expected);
        peer.Value("xen_ulong_t:alignof", "_Alignof(xen_ulong_t)", expected);
        peer.Value("long:sizeof", "sizeof(long)", arch is "x86_32" or "arm32" ? 4 : 8);

        // Every member the headers declare as xen_ulong_t is in the model with the typedef's width.
        var parsed = model.Headers.Where(h => h.Skipped is null).Select(h => h.Path).ToList();
        var declared = DeclaratorScan.Members(Releases.Tree(release), parsed, "xen_ulong_t");
        var fields = model.Records.SelectMany(r => r.Fields.Where(f => f.Name != null).Select(f => (Record: r, Field: f))).ToList();
        var inModel = fields.Where(x => ElementSpelling(x.Field.Type) == "xen_ulong_t").ToList();
        var modelNames = new SortedSet<string>(inModel.Select(x => $"{x.Record.Header}: {x.Field.Name}"), StringComparer.Ordinal);
        Assert.True(declared.Count >= 10, $"only {declared.Count} xen_ulong_t members in the headers");
        Assert.True(declared.SetEquals(modelNames),
            $"{release}/{arch}: in the headers only: [{string.Join("; ", declared.Except(modelNames))}]; in the model only: [{string.Join("; ", modelNames.Except(declared))}]");
        foreach (var (record, field) in inModel)
        {
            var t = field.Type;
            while (t.Kind == TypeKinds.Array) t = t.Element!;
            Assert.True(t.Size == expected && t.Align == expected, $"{record.Id}.{field.Name}: {t.Size} bytes, {t.Align}-aligned");
            Assert.True(field.OffsetBits % (expected * 8) == 0, $"{record.Id}.{field.Name} at bit {field.OffsetBits}");
            var top = peer.TopOf(record);
            if (LayoutPeer.CName(top) != null && !top.Header.StartsWith("sys/", StringComparison.Ordinal)) peer.AddRecord(top);
        }
        peer.Check();
    }

    /// <summary>The element type's spelling of a field (for arrays, of the innermost element).</summary>
    private static string ElementSpelling(TypeRef t)
    {
        while (t.Kind == TypeKinds.Array) t = t.Element!;
        return t.C;
    }
}
