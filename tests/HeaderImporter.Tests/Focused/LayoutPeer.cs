using System.Globalization;
using System.Text;
using Xen.Abi.Model;

namespace XenGen.HeaderImporter.Tests.Focused;

/// <summary>A field reached from a top-level record, as C names it (<c>u.x</c>, <c>timers[0].config</c>).</summary>
internal sealed record FieldPath(RecordDecl Top, string Path, FieldDecl Field, long OffsetBits);

/// <summary>
/// Turns model records into C checks: for each record its <c>sizeof</c> and <c>_Alignof</c>, for each field (also
/// those of anonymous members and anonymous nested records, which C reaches through the top-level record) its
/// <c>offsetof</c>, <c>sizeof</c> and array counts, and each bitfield's bit position and width, found by setting it to
/// all ones: at run time in a zeroed object where the program runs, else in a static initializer whose bytes clang
/// writes into the assembly. The expected values come from the model; the actual ones from clang.
/// </summary>
internal sealed class LayoutPeer
{
    private readonly AbiModel _model;
    private readonly Dictionary<string, RecordDecl> _records;
    private readonly StringBuilder _body = new();
    private readonly StringBuilder _globals = new();
    private readonly List<string> _dataKeys = new();
    private readonly Dictionary<string, long> _expected = new(StringComparer.Ordinal);
    private readonly SortedSet<string> _headers = new(StringComparer.Ordinal);
    private readonly bool _run;
    private readonly CContext _context;

    /// <summary>
    /// Checks <paramref name="model"/> against clang: by running programs when <paramref name="run"/>, else by
    /// compiling only; against the fetched headers of the model's release unless <paramref name="context"/> says otherwise.
    /// </summary>
    public LayoutPeer(AbiModel model, bool run, CContext? context = null)
    {
        _model = model;
        _run = run;
        _context = context ?? CContext.Of(model);
        _records = model.Records.ToDictionary(r => r.Id, StringComparer.Ordinal);
    }

    public TargetArch Arch => TargetArch.Parse(_model.Arch);

    /// <summary>How many values the program will be asked for.</summary>
    public int Count => _expected.Count;

    public RecordDecl Record(string id) =>
        _records.TryGetValue(id, out var r) ? r : throw new Xunit.Sdk.XunitException($"{_model.Release}/{_model.Arch}: no record '{id}' in the model");

    /// <summary>The C spelling of a top-level record: <c>struct tag</c>, or its typedef name.</summary>
    public static string? CName(RecordDecl r) => r.Tag != null ? $"{r.Kind} {r.Tag}" : r.Typedef;

    /// <summary>The top-level record a nested record belongs to.</summary>
    public RecordDecl TopOf(RecordDecl r)
    {
        while (r.Parent != null) r = Record(r.Parent);
        return r;
    }

    /// <summary>Every field C can name from <paramref name="top"/>, through anonymous members and nested records.</summary>
    public IEnumerable<FieldPath> Flatten(RecordDecl top) => Flatten(top, top, "", 0);

    private IEnumerable<FieldPath> Flatten(RecordDecl top, RecordDecl record, string prefix, long baseBits)
    {
        foreach (var f in record.Fields)
        {
            long offset = baseBits + f.OffsetBits;
            if (f.Name is null)
            {
                // An anonymous struct/union member: C names its fields as if they were the enclosing record's.
                // (An unnamed bitfield, which C cannot name at all, has no record and is left out.)
                if (f.Type.Record is string id)
                {
                    foreach (var p in Flatten(top, Record(id), prefix, offset)) yield return p;
                }
                continue;
            }
            string path = prefix + f.Name;
            yield return new FieldPath(top, path, f, offset);
            var (inner, innerPath) = NestedRecord(f.Type, path);
            if (inner != null)
            {
                foreach (var p in Flatten(top, inner, innerPath + ".", offset)) yield return p;
            }
        }
    }

    /// <summary>A record declared inside another (so not checked on its own), reached directly or as array element 0.</summary>
    private (RecordDecl? Record, string Path) NestedRecord(TypeRef type, string path)
    {
        while (type.Kind == TypeKinds.Array && type.Element != null)
        {
            type = type.Element;
            path += "[0]";
        }
        if (type.Kind == TypeKinds.Record && type.Record != null && _records.TryGetValue(type.Record, out var r) && r.Parent != null)
        {
            return (r, path);
        }
        return (null, path);
    }

    /// <summary>Asks C for the size and alignment of <paramref name="r"/> and the layout of every field it reaches.</summary>
    public void AddRecord(RecordDecl r)
    {
        if (r.Parent != null) throw new ArgumentException($"{r.Id} is nested; add its top-level record", nameof(r));
        string c = CName(r) ?? throw new ArgumentException($"{r.Id} has no C name", nameof(r));
        _headers.Add(r.Header);
        Value($"{r.Id}:sizeof", $"sizeof({c})", r.Size);
        Value($"{r.Id}:alignof", $"_Alignof({c})", r.Align);
        foreach (var p in Flatten(r)) AddField(p);
    }

    /// <summary>Asks C for one field's layout.</summary>
    public void AddField(FieldPath p)
    {
        string c = CName(p.Top)!;
        string key = $"{p.Top.Id}:{p.Path}";
        string member = $"(({c} *)0)->{p.Path}";
        _headers.Add(p.Top.Header);
        if (p.Field.BitWidth is int width)
        {
            if (!_expected.TryAdd($"{key}:bits.first", p.OffsetBits)) return;
            _expected[$"{key}:bits.count"] = width;
            if (_run)
            {
                // Set to all ones in a zeroed object at run time; the program reports the bits.
                _body.Append(CultureInfo.InvariantCulture, $"    {{ {c} o; BITS(\"{key}:bits\", o, o.{p.Path}); }}\n");
            }
            else
            {
                // An object initialised with only this field set to all ones: the compiler writes its bytes out.
                _globals.Append(CultureInfo.InvariantCulture,
                    $"static const union {{ {c} t; unsigned char b[sizeof({c})]; }} xengen_data_{_dataKeys.Count} __attribute__((used)) = {{ .t.{p.Path} = -1 }};\n");
                _dataKeys.Add($"{key}:bits");
            }
            return;
        }
        if (p.OffsetBits % 8 != 0) throw new Xunit.Sdk.XunitException($"{key}: the model puts a non-bitfield at bit {p.OffsetBits}");
        Value($"{key}:offsetof", $"offsetof({c}, {p.Path})", p.OffsetBits / 8);
        var t = p.Field.Type;
        if (p.Field.Flexible)
        {
            // sizeof is not defined for T x[]; the element is.
            Value($"{key}:elem", $"sizeof({member}[0])", t.Element?.Size ?? -1);
            return;
        }
        Value($"{key}:sizeof", $"sizeof({member})", p.Field.Size);
        string arrayPath = member;
        for (int depth = 0; t.Kind == TypeKinds.Array; depth++)
        {
            // Each dimension: its element count and its element's size.
            Value($"{key}:count{depth}", $"sizeof({arrayPath}) / sizeof({arrayPath}[0])", t.Count ?? -1);
            arrayPath += "[0]";
            t = t.Element!;
            Value($"{key}:elem{depth}", $"sizeof({arrayPath})", t.Size);
        }
    }

    /// <summary>Asks C for any constant expression.</summary>
    public void Value(string key, string cExpression, long expected)
    {
        if (!_expected.TryAdd(key, expected)) return;
        _body.Append(CultureInfo.InvariantCulture, $"    P(\"{key}\", {cExpression});\n");
    }

    public void Include(string header) => _headers.Add(header);

    /// <summary>Builds the program, runs or compiles it, and fails listing every value where the model and C differ.</summary>
    public IReadOnlyDictionary<string, long> Check()
    {
        Assert.True(_expected.Count > 0, "nothing to check");
        var includes = OrderIncludes(_headers);
        IReadOnlyDictionary<string, long> actual;
        if (_run)
        {
            actual = CProgram.Run(_context, Arch, includes, _body.ToString());
        }
        else
        {
            var (values, data) = CProgram.Compile(_context, Arch, includes, _body.ToString(), _globals.ToString());
            var all = new Dictionary<string, long>(values, StringComparer.Ordinal);
            for (int i = 0; i < _dataKeys.Count; i++)
            {
                if (!data.TryGetValue($"xengen_data_{i}", out var bytes)) continue; // reported as missing below
                var (first, count) = SetBits(bytes);
                all[_dataKeys[i] + ".first"] = first;
                all[_dataKeys[i] + ".count"] = count;
            }
            actual = all;
        }
        var wrong = new List<string>();
        foreach (var (key, expected) in _expected)
        {
            if (!actual.TryGetValue(key, out long got)) wrong.Add($"{key}: C reported nothing");
            else if (got != expected) wrong.Add($"{key}: model {expected}, clang {got}");
        }
        Assert.True(wrong.Count == 0,
            $"{_model.Release}/{_model.Arch}: {wrong.Count} of {_expected.Count} values differ from clang:\n  " + string.Join("\n  ", wrong));
        return actual;
    }

    /// <summary>The first set bit (bit i is bit i%8 of byte i/8, little-endian numbering) and how many bits are set.</summary>
    private static (long First, long Count) SetBits(byte[] bytes)
    {
        long first = -1, count = 0;
        for (int i = 0; i < bytes.Length * 8; i++)
        {
            if ((bytes[i / 8] & (1 << (i % 8))) == 0) continue;
            if (first < 0) first = i;
            count++;
        }
        return (first, count);
    }

    /// <summary>
    /// <c>xen.h</c> first (some headers expect it), and <c>hvm/save.h</c> in place of the arch save headers, which
    /// only compile when it includes them.
    /// </summary>
    public static List<string> OrderIncludes(IEnumerable<string> headers)
    {
        var set = new SortedSet<string>(headers.Select(h => h.StartsWith("arch-", StringComparison.Ordinal) && h.EndsWith("/hvm/save.h", StringComparison.Ordinal) ? "hvm/save.h" : h), StringComparer.Ordinal);
        var list = new List<string> { "xen.h" };
        list.AddRange(set.Where(h => h != "xen.h"));
        return list;
    }
}
