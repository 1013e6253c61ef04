using System.Text;
using System.Text.RegularExpressions;
using Xen.Abi.Model;
using Xunit.Abstractions;
using XenGen.HeaderImporter.Tests.Support;

namespace XenGen.HeaderImporter.Tests.Focused;

/// <summary>
/// Ring detection: the <c>DEFINE_RING_TYPES(name, request, response)</c> uses found by scanning the text of every
/// header of the release except <c>io/ring.h</c> (which defines the macro) must be exactly the model's rings of kind
/// <c>ring</c>, with the same request and response spellings; and clang must agree that the generated slot union
/// holds those request and response types, with the sizes the model gives the records.
/// </summary>
public sealed partial class RingTests(ITestOutputHelper output)
{
    [GeneratedRegex(@"\bDEFINE_RING_TYPES\s*\(\s*(\w+)\s*,\s*([^,()]+?)\s*,\s*([^,()]+?)\s*\)")]
    private static partial Regex RingTypesUse();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();

    /// <summary>"name: request / response" of every use in the header text, with the header it is in.</summary>
    private static List<(string Header, string Ring)> Scan(string release)
    {
        var tree = Releases.Tree(release);
        var uses = new List<(string, string)>();
        foreach (string header in tree.Headers.Where(h => h != "io/ring.h"))
        {
            string text = HeaderSource.WithoutComments(tree, header);
            var matches = RingTypesUse().Matches(text);
            // Every use must be one the pattern can read, or the scan would undercount.
            Assert.Equal(Regex.Matches(text, @"\bDEFINE_RING_TYPES\s*\(").Count, matches.Count);
            foreach (Match m in matches)
            {
                uses.Add((header, Spell(m.Groups[1].Value, m.Groups[2].Value, m.Groups[3].Value)));
            }
        }
        return uses;
    }

    private static string Spell(string name, string request, string response) =>
        $"{name}: {Spaces().Replace(request.Trim(), " ")} / {Spaces().Replace(response.Trim(), " ")}";

    [Theory]
    [MemberData(nameof(Releases.All), MemberType = typeof(Releases))]
    public void The_model_has_exactly_the_rings_the_headers_declare(string release, string arch)
    {
        var scanned = Scan(release);
        output.WriteLine($"{release}: {scanned.Count} DEFINE_RING_TYPES uses outside io/ring.h");
        foreach (var (header, ring) in scanned) output.WriteLine($"  {header}: {ring}");
        Assert.True(scanned.Count >= 10, $"only {scanned.Count} DEFINE_RING_TYPES uses found");

        var model = Releases.Import(release, arch).Model;
        // None of the ring headers is architecture-specific, so every architecture has every ring.
        var parsed = model.Headers.Where(h => h.Skipped is null).Select(h => h.Path).ToHashSet();
        Assert.All(scanned, s => Assert.Contains(s.Header, parsed));

        var rings = model.Rings.Where(r => r.Kind == RingKinds.Ring).ToList();
        var expected = scanned.Select(s => $"{s.Header}: {s.Ring}").Order(StringComparer.Ordinal).ToList();
        var actual = rings.Select(r => $"{r.Header}: {Spell(r.Name, r.Request!, r.Response!)}").Order(StringComparer.Ordinal).ToList();
        Assert.Equal(expected, actual);
        Assert.All(rings, r => Assert.Equal("DEFINE_RING_TYPES", r.Macro));
    }

    [Theory]
    [MemberData(nameof(Releases.All), MemberType = typeof(Releases))]
    public void Clang_agrees_on_each_rings_request_response_and_shared_ring(string release, string arch)
    {
        var model = Releases.Import(release, arch).Model;
        var peer = new LayoutPeer(model, run: false);
        var rings = model.Rings.Where(r => r.Kind == RingKinds.Ring).ToList();
        Assert.NotEmpty(rings);
        foreach (var r in rings)
        {
            peer.Include(r.Header);
            string entry = $"union {r.Name}_sring_entry";
            var request = peer.Record(r.RequestRecord!);
            var response = peer.Record(r.ResponseRecord!);
            // The slot union's members are the request and response types the model names.
            peer.Value($"{r.Name}:req-type", $"__builtin_types_compatible_p(__typeof__((({entry} *)0)->req), {r.Request})", 1);
            peer.Value($"{r.Name}:rsp-type", $"__builtin_types_compatible_p(__typeof__((({entry} *)0)->rsp), {r.Response})", 1);
            peer.Value($"{r.Name}:req-record", $"__builtin_types_compatible_p({r.Request}, {LayoutPeer.CName(request)})", 1);
            peer.Value($"{r.Name}:rsp-record", $"__builtin_types_compatible_p({r.Response}, {LayoutPeer.CName(response)})", 1);
            peer.AddRecord(peer.Record(r.Entry!));
            peer.AddRecord(peer.Record(r.SharedRing!));
            peer.AddRecord(request);
            peer.AddRecord(response);
        }
        peer.Check();
    }
}
