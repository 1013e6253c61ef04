using Xen.Abi.Model;
using XenGen.HeaderImporter;
using XenGen.Tool.Diff;
using XenGen.Tool.Tests.Support;

namespace XenGen.Tool.Tests;

/// Diffs of small hand-made models, one change kind at a time.
public sealed class AbiDiffTests
{
    private static TypeRef U32 => new() { Kind = TypeKinds.Int, C = "uint32_t", Size = 4, Align = 4, Signed = false };

    private static TypeRef U64 => new() { Kind = TypeKinds.Int, C = "uint64_t", Size = 8, Align = 8, Signed = false };

    /// A model with one record, typedef, enum, constant, ring and guest handle in io/demo.h.
    internal static AbiModel Model(string release = "1.0", string header = "io/demo.h")
    {
        var m = new AbiModel { Release = release, Arch = "x86_64", Triple = "x86_64-linux-gnu", InterfaceVersion = "0x00040e00", HeaderTreeSha256 = new string('0', 64) };
        m.Headers.Add(new HeaderEntry { Path = "xen.h" });
        m.Headers.Add(new HeaderEntry { Path = header });
        m.Headers.Add(new HeaderEntry { Path = "domctl.h" });
        m.Records.Add(new RecordDecl
        {
            Id = "demo_request", Tag = "demo_request", Header = header, Line = 10, Size = 8, Align = 4,
            Fields =
            {
                new FieldDecl { Name = "id", Type = U32, OffsetBits = 0, Size = 4 },
                new FieldDecl { Name = "op", Type = U32, OffsetBits = 32, Size = 4 },
            },
        });
        m.Records.Add(new RecordDecl { Id = "xen_domctl", Tag = "xen_domctl", Header = "domctl.h", Line = 5, Size = 4, Align = 4,
            Fields = { new FieldDecl { Name = "cmd", Type = U32, Size = 4 } } });
        m.Records.Add(new RecordDecl { Id = "__guest_handle_demo", Header = header, Line = 3, Size = 8, Align = 8 });
        m.Typedefs.Add(new TypedefDecl { Name = "demo_id_t", Header = header, Line = 2, Type = U32 });
        m.Enums.Add(new EnumDecl
        {
            Id = "demo_state", Tag = "demo_state", Header = header, Line = 20, Size = 4, Signed = false,
            Constants = { new EnumConstant { Name = "DEMO_OFF", Value = "0" }, new EnumConstant { Name = "DEMO_ON", Value = "1" } },
        });
        m.Constants.Add(new ConstantDecl { Name = "DEMO_MAX", Header = header, Line = 30, Expansion = "16", CType = "int", Size = 4, Signed = true, Value = "16" });
        m.Constants.Add(new ConstantDecl { Name = "XEN_DOMCTL_INTERFACE_VERSION", Header = "domctl.h", Line = 7, Expansion = "0x15", CType = "int", Size = 4, Signed = true, Value = "21" });
        m.Rings.Add(new RingDecl { Name = "demo", Header = header, Line = 40, Macro = "DEFINE_RING_TYPES", Request = "struct demo_request", RequestRecord = "demo_request",
            Response = "struct demo_request", ResponseRecord = "demo_request", SharedRing = "demo_sring", Entry = "demo_sring_entry" });
        m.GuestHandles.Add(new GuestHandle { Record = "__guest_handle_demo", Target = "struct demo_request", Size = 8, Align = 8 });
        return m;
    }

    private static AbiChange Single(ArchDiff d)
    {
        Assert.True(d.Changes.Count == 1, "expected one change, got:\n" + string.Join("\n", d.Changes));
        return d.Changes[0];
    }

    [Fact]
    public void A_model_diffed_with_itself_is_empty()
    {
        Assert.True(AbiDiff.Compare(Model(), Model()).IsEmpty);
    }

    [Fact]
    public void Every_committed_model_diffed_with_itself_is_empty()
    {
        foreach (var dir in Directory.GetDirectories(Path.Combine(Repo.Root, "xen-public-headers")))
        {
            foreach (var file in Directory.GetFiles(dir, "*.abi.json"))
            {
                var d = AbiDiff.Compare(ModelFile.Read(file), ModelFile.Read(file));
                Assert.True(d.IsEmpty, file + ": " + string.Join("\n", d.Changes.Take(5)));
            }
        }
    }

    [Fact]
    public void A_field_offset_mutation_is_breaking()
    {
        var b = Model();
        b.Records[0].Fields[1].OffsetBits = 64;

        var c = Single(AbiDiff.Compare(Model(), b));

        Assert.Equal(new AbiChange("io/demo.h", DeclKind.Field, "demo_request.op", ChangeOp.Changed, "offset", "4", "8", ChangeClass.Breaking, false), c);
    }

    [Fact]
    public void Record_size_and_alignment_changes_are_breaking()
    {
        var b = Model();
        b.Records[0].Size = 16;
        b.Records[0].Align = 8;

        var d = AbiDiff.Compare(Model(), b);

        Assert.Equal(["align 4→8", "size 8→16"], d.Changes.Select(c => $"{c.Aspect} {c.Before}→{c.After}"));
        Assert.All(d.Changes, c => Assert.Equal((DeclKind.Record, ChangeClass.Breaking), (c.Kind, c.Class)));
    }

    [Fact]
    public void Additions_are_compatible_and_removals_breaking_for_every_kind()
    {
        var added = Model();
        added.Records.Add(new RecordDecl { Id = "demo_extra", Header = "io/demo.h", Size = 4, Align = 4 });
        added.Records[0].Fields.Add(new FieldDecl { Name = "pad", Type = U32, OffsetBits = 64, Size = 4 });
        added.Typedefs.Add(new TypedefDecl { Name = "demo_extra_t", Header = "io/demo.h", Type = U32 });
        added.Enums.Add(new EnumDecl { Id = "demo_more", Tag = "demo_more", Header = "io/demo.h", Size = 4 });
        added.Enums[0].Constants.Add(new EnumConstant { Name = "DEMO_BROKEN", Value = "2" });
        added.Constants.Add(new ConstantDecl { Name = "DEMO_NAME", Kind = ConstantKinds.String, Header = "io/demo.h", Value = "demo" });
        added.Rings.Add(new RingDecl { Name = "demo2", Header = "io/demo.h" });
        added.GuestHandles.Add(new GuestHandle { Record = "__guest_handle_demo", Target = "x" });
        added.GuestHandles[^1].Record = "__guest_handle_extra";
        added.Headers.Add(new HeaderEntry { Path = "io/new.h" });

        string Kinds(ArchDiff d) => string.Join(", ", d.Changes.Select(c => $"{DiffReport.KindName(c.Kind)} {c.Name}"));
        var grow = AbiDiff.Compare(Model(), added);
        var shrink = AbiDiff.Compare(added, Model());

        const string expected = "record demo_extra, field demo_request.pad, typedef demo_extra_t, enum demo_more, enumerator demo_state.DEMO_BROKEN, " +
                                "constant DEMO_NAME, ring demo2, header io/new.h, guest handle __guest_handle_extra";
        // Grouped by header first: io/new.h after io/demo.h, and a handle without its record in the model under xen.h.
        Assert.Equal(expected, Kinds(grow));
        Assert.All(grow.Changes, c => Assert.Equal((ChangeOp.Added, ChangeClass.Compatible), (c.Op, c.Class)));
        Assert.All(shrink.Changes, c => Assert.Equal((ChangeOp.Removed, ChangeClass.Breaking), (c.Op, c.Class)));
        Assert.Equal(grow.Changes.Count, shrink.Changes.Count);
    }

    [Fact]
    public void Value_changes_of_constants_and_enumerators_are_breaking()
    {
        var b = Model();
        b.Constants[0].Value = "32";
        b.Enums[0].Constants[1].Value = "4";

        var d = AbiDiff.Compare(Model(), b);

        Assert.Equal(["enumerator demo_state.DEMO_ON value 1→4", "constant DEMO_MAX value 16→32"],
            d.Changes.Select(c => $"{DiffReport.KindName(c.Kind)} {c.Name} {c.Aspect} {c.Before}→{c.After}"));
        Assert.All(d.Changes, c => Assert.Equal(ChangeClass.Breaking, c.Class));
    }

    [Fact]
    public void A_type_change_is_breaking_but_a_new_spelling_of_the_same_type_is_compatible()
    {
        var wider = Model();
        wider.Typedefs[0].Type = U64;
        var respelled = Model();
        var u = U32;
        u.C = "unsigned int";
        respelled.Typedefs[0].Type = u;

        var w = Single(AbiDiff.Compare(Model(), wider));
        var r = Single(AbiDiff.Compare(Model(), respelled));

        Assert.Equal(("type", "uint32_t", "uint64_t", ChangeClass.Breaking), (w.Aspect, w.Before, w.After, w.Class));
        Assert.Equal(("type spelling", ChangeClass.Compatible), (r.Aspect, r.Class));
    }

    [Fact]
    public void Ring_and_guest_handle_changes_are_breaking()
    {
        var b = Model();
        b.Rings[0].RequestRecord = "xen_domctl";
        b.GuestHandles[0].Size = 4;

        var d = AbiDiff.Compare(Model(), b);

        Assert.Equal(["ring demo request", "guest handle __guest_handle_demo size"], d.Changes.Select(c => $"{DiffReport.KindName(c.Kind)} {c.Name} {c.Aspect}"));
        Assert.All(d.Changes, c => Assert.Equal(ChangeClass.Breaking, c.Class));
    }

    [Fact]
    public void A_declaration_moved_to_another_header_is_compatible()
    {
        var b = Model();
        b.Constants[0].Header = "xen.h";

        var c = Single(AbiDiff.Compare(Model(), b));

        Assert.Equal(("xen.h", "header", "io/demo.h", "xen.h", ChangeClass.Compatible), (c.Header, c.Aspect, c.Before, c.After, c.Class));
    }

    [Fact]
    public void Tools_only_headers_are_marked_apart_and_listed_after_the_guest_visible_abi()
    {
        var b = Model();
        b.Constants[1].Value = "22";
        b.Constants[0].Value = "17";

        var d = AbiDiff.Compare(Model(), b);

        Assert.Equal([("DEMO_MAX", false), ("XEN_DOMCTL_INTERFACE_VERSION", true)], d.Changes.Select(c => (c.Name, c.ToolsOnly)));
        Assert.True(ToolsOnlyRule.IsToolsOnly("sysctl.h"));
        Assert.False(ToolsOnlyRule.IsToolsOnly("xen.h"));
    }

    [Fact]
    public void Anonymous_enums_are_matched_by_their_first_enumerator_not_their_line()
    {
        var a = Model();
        a.Enums.Add(new EnumDecl { Id = "anon@io/demo.h:50", Header = "io/demo.h", Line = 50, Size = 4, Constants = { new EnumConstant { Name = "DEMO_A", Value = "0" } } });
        var b = Model();
        b.Enums.Add(new EnumDecl { Id = "anon@io/demo.h:57", Header = "io/demo.h", Line = 57, Size = 4, Constants = { new EnumConstant { Name = "DEMO_A", Value = "0" } } });

        Assert.True(AbiDiff.Compare(a, b).IsEmpty);
    }

    [Fact]
    public void Reports_are_deterministic_and_the_markdown_has_one_table_per_header()
    {
        var b = Model();
        b.Records[0].Fields[1].OffsetBits = 64;
        b.Constants[1].Value = "22";
        b.Headers.Add(new HeaderEntry { Path = "io/new.h" });
        DiffReport Report() => new(new DiffSide("1.0", "a/", "0x1", "aa"), new DiffSide("2.0", "b/", "0x2", "bb"), [AbiDiff.Compare(Model(), b)]);

        string md = Report().ToMarkdown();

        Assert.Equal(md, Report().ToMarkdown());
        Assert.Equal(Report().ToJson(), Report().ToJson());
        Assert.Contains("| x86_64 | 1 | 1 | 1 | 0 |", md);
        Assert.Contains("| **breaking** | changed | field | `demo_request.op` | offset | `4` | `8` |", md);
        Assert.True(md.IndexOf("### Guest-visible ABI", StringComparison.Ordinal) < md.IndexOf("#### `io/demo.h`", StringComparison.Ordinal));
        Assert.True(md.IndexOf("### Tools-only interfaces", StringComparison.Ordinal) < md.IndexOf("#### `domctl.h`", StringComparison.Ordinal));
        Assert.Contains("\"class\": \"breaking\"", Report().ToJson());
    }
}
