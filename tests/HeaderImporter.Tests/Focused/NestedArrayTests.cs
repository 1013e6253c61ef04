using Xen.Abi.Model;
using XenGen.HeaderImporter.Tests.Support;

namespace XenGen.HeaderImporter.Tests.Focused;

/// <summary>
/// Nested arrays. The Xen public headers declare no multi-dimensional arrays (checked below), so the importer's
/// handling of them is checked on a small header tree written here, imported for every architecture and compiled by
/// clang; the arrays the real headers do nest (arrays of records, some holding arrays, such as
/// <c>shared_info.vcpu_info[]</c> and <c>xen_sysctl_arinc653_schedule.sched_entries[]</c>) are checked against clang as well.
/// </summary>
public sealed class NestedArrayTests : IClassFixture<NestedArrayTests.SyntheticTree>
{
    private const string NestedHeader = """
        #ifndef XENGEN_FOCUSED_NESTED_H
        #define XENGEN_FOCUSED_NESTED_H
        #include <stdint.h>
        #include "xen-compat.h"
        typedef uint8_t xengen_row_t[3];
        struct xengen_cell {
            uint8_t tag;
            uint64_t words[2][2];
        };
        struct xengen_nested {
            uint8_t flag;
            uint32_t grid[2][3];
            uint16_t cube[2][3][4];
            xengen_row_t rows[5];
            struct xengen_cell cells[2][3];
            struct {
                uint16_t a;
                uint32_t b[3][2];
            } anon[2][2];
            char names[4][16];
            uint64_t tail[2][1];
        };
        #endif
        """;

    public static TheoryData<string> ArchNames() => new(TargetArch.All.Select(a => a.Name));

    /// <summary>A header tree of <c>xen-compat.h</c> and a <c>xen.h</c> of nested arrays, imported for every arch.</summary>
    public sealed class SyntheticTree : IDisposable
    {
        public SyntheticTree()
        {
            IncludeDir = Directory.CreateTempSubdirectory("xengen-focused-nested-").FullName;
            string xen = Directory.CreateDirectory(Path.Combine(IncludeDir, "xen")).FullName;
            File.Copy(Path.Combine(Releases.Tree("4.17.5").XenDir, "xen-compat.h"), Path.Combine(xen, "xen-compat.h"));
            File.WriteAllText(Path.Combine(xen, "xen.h"), NestedHeader);
            Results = AbiImporter.Import(new HeaderTree(IncludeDir), "nested", new string('0', 64), TargetArch.All);
        }

        public string IncludeDir { get; }

        public IReadOnlyList<ImportResult> Results { get; }

        public void Dispose() => Directory.Delete(IncludeDir, recursive: true);
    }

    private readonly SyntheticTree _synthetic;

    public NestedArrayTests(SyntheticTree synthetic) => _synthetic = synthetic;

    [Theory]
    [MemberData(nameof(ArchNames))]
    public void Multi_dimensional_arrays_keep_every_dimension(string arch)
    {
        string include = _synthetic.IncludeDir;
        var result = _synthetic.Results.Single(r => r.Model.Arch == arch);
        Assert.False(result.HasErrors, string.Join("\n", result.Diagnostics));
        var model = result.Model;
        var nested = model.Records.Single(r => r.Id == "xengen_nested");

        // The dimensions as written, outermost first: the model's element chain must spell them out.
        var dims = new Dictionary<string, long[]>
        {
            ["grid"] = [2, 3], ["cube"] = [2, 3, 4], ["rows"] = [5, 3], ["cells"] = [2, 3], ["anon"] = [2, 2], ["names"] = [4, 16], ["tail"] = [2, 1],
        };
        foreach (var (name, expected) in dims)
        {
            var t = nested.Fields.Single(f => f.Name == name).Type;
            var got = new List<long>();
            while (t.Kind == TypeKinds.Array)
            {
                got.Add(t.Count ?? -1);
                t = t.Element!;
            }
            Assert.True(expected.SequenceEqual(got), $"{arch}: {name} has dimensions [{string.Join(", ", got)}] in the model, expected [{string.Join(", ", expected)}]");
        }
        Assert.True(model.Records.Single(r => r.Id == "xengen_cell").Fields.Single(f => f.Name == "words").Type.Element!.Kind == TypeKinds.Array);

        var peer = new LayoutPeer(model, run: false, new CContext(include, CContext.XenDefines(model)));
        peer.AddRecord(nested);
        peer.AddRecord(model.Records.Single(r => r.Id == "xengen_cell"));
        peer.Check();
    }

    [Theory]
    [MemberData(nameof(Releases.All), MemberType = typeof(Releases))]
    public void Arrays_of_records_holding_arrays_match_clang(string release, string arch)
    {
        var model = Releases.Import(release, arch).Model;
        var peer = new LayoutPeer(model, run: false);
        var records = model.Records.ToDictionary(r => r.Id);
        // Arrays whose elements are records; those records hold arrays themselves, at some depth, in several cases.
        bool HoldsArray(RecordDecl r) => r.Fields.Any(f => f.Type.Kind == TypeKinds.Array
            || f.Type is { Kind: TypeKinds.Record, Record: string inner } && HoldsArray(records[inner]));
        var arraysOfRecords = model.Records
            .SelectMany(r => r.Fields.Where(f => f.Type is { Kind: TypeKinds.Array, Element.Kind: TypeKinds.Record }).Select(f => (Owner: r, Field: f)))
            .ToList();
        Assert.Contains(arraysOfRecords, x => x.Owner.Id == "shared_info" && x.Field.Name == "vcpu_info");
        Assert.Contains(arraysOfRecords, x => x.Owner.Id == "xen_sysctl_arinc653_schedule" && x.Field.Name == "sched_entries");
        Assert.Contains(arraysOfRecords, x => HoldsArray(records[x.Field.Type.Element!.Record!]));
        var owners = arraysOfRecords.Select(x => peer.TopOf(x.Owner))
            .Where(r => LayoutPeer.CName(r) != null && !r.Header.StartsWith("sys/", StringComparison.Ordinal))
            .DistinctBy(r => r.Id).ToList();
        foreach (var r in owners) peer.AddRecord(r);
        peer.Check();
    }

    [Theory]
    [MemberData(nameof(Releases.All), MemberType = typeof(Releases))]
    public void The_real_headers_declare_no_multi_dimensional_arrays(string release, string arch)
    {
        // If a release ever adds one, the synthetic tree above is no longer the only coverage: check it here too.
        var model = Releases.Import(release, arch).Model;
        var multi = model.Records.SelectMany(r => r.Fields.Where(f => f.Type.Kind == TypeKinds.Array && f.Type.Element?.Kind == TypeKinds.Array).Select(f => $"{r.Id}.{f.Name}")).ToList();
        var peer = new LayoutPeer(model, run: false);
        foreach (var id in multi.Select(m => m[..m.LastIndexOf('.')]).Distinct()) peer.AddRecord(peer.TopOf(peer.Record(id)));
        if (multi.Count > 0) peer.Check();
        var text = Releases.Tree(release).Headers.Where(h => System.Text.RegularExpressions.Regex.IsMatch(
            HeaderSource.WithoutComments(Releases.Tree(release), h), @"\w\s*\[[^\]\n]*\]\s*\[")).ToList();
        Assert.Equal(text.Count == 0, multi.Count == 0);
    }
}
