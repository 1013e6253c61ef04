using System.Text.RegularExpressions;
using Xen.Abi.Model;
using XenGen.HeaderImporter.Tests.Support;

namespace XenGen.HeaderImporter.Tests.Focused;

/// <summary>
/// Flexible array members (<c>T x[]</c>, <c>T x[XEN_FLEX_ARRAY_DIM]</c>) and the GNU zero-length form
/// (<c>T x[0]</c>): which fields are flexible, against the header text, and where they sit, against clang.
/// </summary>
public sealed partial class FlexibleArrayTests
{
    // A declarator whose dimension is empty, 0, XEN_FLEX_ARRAY_DIM or XENPV_FLEX_ARRAY_DIM (both empty in C99).
    [GeneratedRegex(@"\b([A-Za-z_]\w*)\s*\[\s*(?:0|XEN_FLEX_ARRAY_DIM|XENPV_FLEX_ARRAY_DIM)?\s*\]\s*;")]
    private static partial Regex FlexibleDeclarator();

    [GeneratedRegex(@"^\s*(DEFINE_RING_TYPES|DEFINE_XEN_FLEX_RING_AND_INTF)\s*\(", RegexOptions.Multiline)]
    private static partial Regex RingMacroUse();

    [Theory]
    [MemberData(nameof(Releases.All), MemberType = typeof(Releases))]
    public void The_flexible_fields_are_those_the_headers_declare(string release, string arch)
    {
        var model = Releases.Import(release, arch).Model;
        var tree = Releases.Tree(release);
        var expected = new SortedSet<string>(StringComparer.Ordinal);
        var fromRingMacro = RingMacroFlexibleMembers(tree);
        foreach (var header in model.Headers.Where(h => h.Skipped is null).Select(h => h.Path))
        {
            if (header == "io/ring.h") continue; // the macro definitions; their uses are counted below
            string text = HeaderSource.WithoutComments(tree, header);
            foreach (Match m in FlexibleDeclarator().Matches(text)) expected.Add($"{header}: {m.Groups[1].Value}");
            // Macro-generated: each use of an io/ring.h macro declares the flexible members of the macro's body
            // (DEFINE_XEN_FLEX_RING_AND_INTF's "ref[]"; since 4.20 also DEFINE_RING_TYPES's "ring[]").
            // DECLARE_HVM_SAVE_TYPE(x, 0, type)'s "char c[0]" is followed by another field: not flexible.
            foreach (Match m in RingMacroUse().Matches(text))
            {
                foreach (string name in fromRingMacro[m.Groups[1].Value]) expected.Add($"{header}: {name}");
            }
        }
        var flagged = new SortedSet<string>(
            model.Records.SelectMany(r => r.Fields.Where(f => f.Flexible).Select(f => $"{r.Header}: {f.Name}")), StringComparer.Ordinal);
        Assert.True(expected.Count >= 10, $"only {expected.Count} flexible declarators in the headers");
        var missing = expected.Except(flagged).ToList();
        var extra = flagged.Except(expected).ToList();
        Assert.True(missing.Count == 0 && extra.Count == 0,
            $"{release}/{arch}: not flagged flexible: [{string.Join("; ", missing)}]; flagged but not declared so: [{string.Join("; ", extra)}]");
    }

    /// <summary>The flexible declarators in the bodies of io/ring.h's type-declaring macros.</summary>
    private static Dictionary<string, List<string>> RingMacroFlexibleMembers(HeaderTree tree)
    {
        var lines = HeaderSource.WithoutComments(tree, "io/ring.h").Split('\n');
        var result = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (string macro in new[] { "DEFINE_RING_TYPES", "DEFINE_XEN_FLEX_RING_AND_INTF" })
        {
            int start = Array.FindIndex(lines, l => Regex.IsMatch(l, $@"^\s*#\s*define\s+{macro}\s*\("));
            Assert.True(start >= 0, $"io/ring.h does not define {macro}");
            var body = new List<string>();
            for (int i = start; i < lines.Length; i++)
            {
                body.Add(lines[i]);
                if (!lines[i].TrimEnd().EndsWith('\\')) break;
            }
            result[macro] = FlexibleDeclarator().Matches(string.Join("\n", body).Replace("\\\n", "\n")).Select(m => m.Groups[1].Value).ToList();
        }
        return result;
    }

    [Theory]
    [MemberData(nameof(Releases.All), MemberType = typeof(Releases))]
    public void Flexible_members_sit_where_clang_puts_them(string release, string arch)
    {
        var model = Releases.Import(release, arch).Model;
        var peer = new LayoutPeer(model, run: false);
        var owners = model.Records.Where(r => r.Fields.Any(f => f.Flexible)).ToList();
        Assert.NotEmpty(owners);
        foreach (var r in owners)
        {
            var f = r.Fields.Single(x => x.Flexible);
            Assert.Equal(TypeKinds.Array, f.Type.Kind);
            Assert.True(f.Type.Count is null or 0, $"{r.Id}.{f.Name}: count {f.Type.Count}");
            Assert.Same(f, r.Fields[^1]);
            Assert.NotNull(f.Type.Element);
            peer.AddRecord(peer.TopOf(r));
        }
        peer.Check();
    }
}
