using System.Globalization;
using Xen.Abi.Model;
using XenGen.HeaderImporter.Clang;

namespace XenGen.HeaderImporter;

/// <summary>
/// Walks one parsed translation unit and collects every declaration that lies in the public header tree:
/// records (with nested anonymous ones), typedefs, enums, constant tables, ring macro uses, and the values of
/// the constant probes of <see cref="ConstantProbes"/>.
/// </summary>
internal sealed class DeclarationWalker
{
    private static readonly HashSet<string> RingMacros = new(StringComparer.Ordinal)
    {
        "DEFINE_RING_TYPES", "DEFINE_XEN_FLEX_RING", "DEFINE_XEN_FLEX_RING_AND_INTF",
    };

    private readonly TranslationUnit _tu;
    private readonly HeaderTree _tree;
    private readonly TuExtract _out;
    private readonly TypeMapper _types;
    private readonly Dictionary<Cursor, string> _recordIds = new(CursorComparer.Instance);
    private readonly Dictionary<Cursor, string> _enumIds = new(CursorComparer.Instance);
    private readonly Dictionary<Cursor, string> _typedefNames = new(CursorComparer.Instance);
    private readonly HashSet<Cursor> _visited = new(CursorComparer.Instance);
    private readonly Dictionary<string, MacroDefinition> _macros = new(StringComparer.Ordinal);

    private readonly bool _constantsOnly;
    private readonly IReadOnlyDictionary<string, int>? _includedFrom;
    private readonly Dictionary<string, int> _macroFrom = new(StringComparer.Ordinal);

    /// <param name="tu">The parsed unit.</param>
    /// <param name="tree">The header tree it was parsed from.</param>
    /// <param name="mainHeader">The header the unit was parsed for.</param>
    /// <param name="constantsOnly">Collect only macro definitions and probe values (the unit of late constants).</param>
    /// <param name="includedFrom">
    /// For a unit of many headers, each header's main-file <c>#include</c> (its line) that first brought it in. A macro
    /// then takes its definition from the headers that <c>#include</c> brought in, as the first per-header unit to
    /// define it would: a later header's definition of the same name (<c>UNMAP_NOTIFY_*</c> in both
    /// <c>sys/gntalloc.h</c> and <c>sys/gntdev.h</c>) does not move the constant.
    /// </param>
    public DeclarationWalker(TranslationUnit tu, HeaderTree tree, string mainHeader, bool constantsOnly = false,
        IReadOnlyDictionary<string, int>? includedFrom = null)
    {
        _constantsOnly = constantsOnly;
        _includedFrom = includedFrom;
        _tu = tu;
        _tree = tree;
        _out = new TuExtract { MainHeader = mainHeader };
        _types = new TypeMapper(RecordIdOf, EnumIdOf);
    }

    public TuExtract Walk()
    {
        var top = _tu.Root.Children();
        NameTypedefTargets(top);
        var probes = new List<Cursor>();
        foreach (var c in top)
        {
            var (file, line) = c.FileAndLine;
            string? header = HeaderOf(file);
            if (header is null)
            {
                if (c.Kind == CXCursorKind.VarDecl && c.Spelling.StartsWith(ConstantProbes.Prefix, StringComparison.Ordinal)) probes.Add(c);
                continue;
            }
            if (_constantsOnly)
            {
                if (c.Kind == CXCursorKind.MacroDefinition) VisitMacroDefinition(c, header, line);
                continue;
            }
            _out.HeadersSeen.Add(header);
            switch (c.Kind)
            {
                case CXCursorKind.StructDecl or CXCursorKind.UnionDecl:
                    VisitRecord(c, header, line, parent: null, nameInParent: null);
                    break;
                case CXCursorKind.EnumDecl:
                    VisitEnum(c, header, line);
                    break;
                case CXCursorKind.TypedefDecl:
                    VisitTypedef(c, header, line);
                    break;
                case CXCursorKind.VarDecl:
                    VisitTable(c, header, line);
                    break;
                case CXCursorKind.MacroDefinition:
                    VisitMacroDefinition(c, header, line);
                    break;
                case CXCursorKind.MacroExpansion:
                    VisitMacroExpansion(c, header, line);
                    break;
            }
        }
        foreach (var p in probes) VisitProbe(p);
        return _out;
    }

    private readonly Dictionary<nint, string?> _headers = [];

    /// <summary>The tree header of a libclang file handle (null outside the tree), each file named once.</summary>
    private string? HeaderOf(nint file)
    {
        if (file == 0) return null;
        if (!_headers.TryGetValue(file, out string? header))
        {
            header = _tree.Relative(ClangString.Take(NativeMethods.GetFileName(file)));
            _headers[file] = header;
        }
        return header;
    }

    /// <summary>Remembers which typedef names a record or enum directly (<c>typedef struct {..} x_t;</c>).</summary>
    private void NameTypedefTargets(List<Cursor> top)
    {
        foreach (var c in top)
        {
            if (c.Kind != CXCursorKind.TypedefDecl) continue;
            var target = c.TypedefUnderlyingType.Canonical;
            if (target.Kind is not (CXTypeKind.Record or CXTypeKind.Enum)) continue;
            var decl = target.Declaration;
            _typedefNames.TryAdd(decl, c.Spelling);
        }
    }

    private string? RecordIdOf(Cursor decl) => _recordIds.TryGetValue(decl, out var id) ? id : TagOrTypedef(decl);

    private string? EnumIdOf(Cursor decl) => _enumIds.TryGetValue(decl, out var id) ? id : TagOrTypedef(decl);

    private string? TagOrTypedef(Cursor decl)
    {
        if (decl.IsNull) return null;
        return TagOf(decl) ?? (_typedefNames.TryGetValue(decl, out var name) ? name : null);
    }

    /// <summary>
    /// The C tag of a struct, union or enum, or null. An untagged record named only by a typedef
    /// (<c>typedef struct { ... } x_t;</c>) is not anonymous to libclang, which spells it by the typedef name;
    /// its type is then spelled without the <c>struct</c>/<c>union</c>/<c>enum</c> keyword.
    /// </summary>
    private static string? TagOf(Cursor c)
    {
        if (c.IsAnonymous) return null;
        string type = c.Type.Spelling;
        bool keyword = type.StartsWith("struct ", StringComparison.Ordinal) || type.StartsWith("union ", StringComparison.Ordinal)
            || type.StartsWith("enum ", StringComparison.Ordinal);
        return keyword ? c.Spelling : null;
    }

    private string? Doc(string header, int line, string? field = null) => _tree.Text(header).CommentFor(line, field);

    private void VisitRecord(Cursor c, string header, int line, string? parent, string? nameInParent)
    {
        if (!c.IsDefinition || _visited.Contains(c)) return;
        _visited.Add(c);
        long size = c.Type.Size;
        if (size < 0) return;
        string? tag = TagOf(c);
        _typedefNames.TryGetValue(c, out string? typedef);
        string id = tag ?? typedef ?? (parent != null && nameInParent != null ? parent + "." + nameInParent : $"anon@{header}:{line}");
        _recordIds[c] = id;
        var rec = new RecordDecl
        {
            Id = id,
            Kind = c.Kind == CXCursorKind.UnionDecl ? "union" : "struct",
            Tag = tag,
            Typedef = typedef,
            Parent = parent,
            Size = size,
            Align = c.Type.Align,
            Header = header,
            Line = line,
            Doc = Doc(header, line),
        };
        _out.Records.Add(rec);

        var children = c.Children();
        int anonymousMembers = 0;
        for (int i = 0; i < children.Count; i++)
        {
            var child = children[i];
            if (child.Kind is CXCursorKind.StructDecl or CXCursorKind.UnionDecl)
            {
                if (!child.IsDefinition) continue;
                int childLine = child.Line;
                string? fieldName = child.IsAnonymous ? FieldUsing(children, i) : null;
                if (child.IsAnonymous && fieldName is null && child.IsAnonymousRecordDecl)
                {
                    // C11 anonymous member: its fields belong to the parent; the model keeps it as an unnamed field.
                    string memberName = "anon" + anonymousMembers++.ToString(CultureInfo.InvariantCulture);
                    VisitRecord(child, header, childLine, id, memberName);
                    rec.Fields.Add(new FieldDecl
                    {
                        Name = null,
                        Type = _types.Map(child.Type),
                        OffsetBits = AnonymousMemberOffset(c, child),
                        Size = Math.Max(0, child.Type.Size),
                        Doc = Doc(header, childLine),
                    });
                }
                else
                {
                    VisitRecord(child, header, childLine, id, fieldName);
                }
            }
            else if (child.Kind == CXCursorKind.FieldDecl)
            {
                int fieldLine = child.Line;
                var type = _types.Map(child.Type);
                bool flexible = type.Kind == TypeKinds.Array && type.Count is null;
                rec.Fields.Add(new FieldDecl
                {
                    Name = child.Spelling,
                    Type = type,
                    OffsetBits = child.OffsetOfFieldBits,
                    Size = type.Size,
                    BitWidth = child.IsBitField ? child.BitWidth : null,
                    Flexible = flexible,
                    Doc = Doc(header, fieldLine, child.Spelling),
                });
            }
        }
        // GNU's zero-length array is a flexible member only at the end; elsewhere (DECLARE_HVM_SAVE_TYPE's
        // "char c[0]", which encodes a save code as an array size) it is an ordinary empty field.
        if (rec.Fields.Count > 0 && rec.Fields[^1].Type is { Kind: TypeKinds.Array, Count: 0 }) rec.Fields[^1].Flexible = true;
    }

    /// <summary>The name of the field declared with the anonymous record at <paramref name="index"/>, if any.</summary>
    private static string? FieldUsing(List<Cursor> siblings, int index)
    {
        var decl = siblings[index];
        for (int j = index + 1; j < siblings.Count; j++)
        {
            if (siblings[j].Kind != CXCursorKind.FieldDecl) continue;
            var t = siblings[j].Type.Canonical;
            while (t.Kind is CXTypeKind.ConstantArray or CXTypeKind.IncompleteArray) t = t.ArrayElement.Canonical;
            if (t.Kind == CXTypeKind.Record && t.Declaration.Equals(decl)) return siblings[j].Spelling;
        }
        return null;
    }

    /// <summary>
    /// libclang does not expose the implicit field of an anonymous member, so its offset is found through
    /// its first named field: the offset in the parent minus the offset inside the member.
    /// </summary>
    private static long AnonymousMemberOffset(Cursor parent, Cursor member)
    {
        string? leaf = FirstNamedField(member);
        if (leaf is null) return 0;
        long inParent = parent.Type.OffsetOfBits(leaf);
        long inMember = member.Type.OffsetOfBits(leaf);
        return inParent >= 0 && inMember >= 0 ? inParent - inMember : 0;
    }

    private static string? FirstNamedField(Cursor record)
    {
        foreach (var child in record.Children())
        {
            if (child.Kind == CXCursorKind.FieldDecl && child.Spelling.Length > 0) return child.Spelling;
            if (child.Kind is CXCursorKind.StructDecl or CXCursorKind.UnionDecl && child.IsAnonymousRecordDecl)
            {
                string? inner = FirstNamedField(child);
                if (inner != null) return inner;
            }
        }
        return null;
    }

    private void VisitEnum(Cursor c, string header, int line)
    {
        if (!c.IsDefinition || _visited.Contains(c)) return;
        _visited.Add(c);
        string? tag = TagOf(c);
        _typedefNames.TryGetValue(c, out string? typedef);
        string id = tag ?? typedef ?? $"anon@{header}:{line}";
        _enumIds[c] = id;
        var intType = c.EnumIntegerType.Canonical;
        bool signed = TypeMapper.IsSigned(intType.Kind);
        var e = new EnumDecl
        {
            Id = id, Tag = tag, Typedef = typedef, Size = intType.Size, Signed = signed,
            Header = header, Line = line, Doc = Doc(header, line),
        };
        foreach (var k in c.Children())
        {
            if (k.Kind != CXCursorKind.EnumConstantDecl) continue;
            int kLine = k.Line;
            e.Constants.Add(new EnumConstant
            {
                Name = k.Spelling,
                Value = signed ? k.EnumConstantValue.ToString(CultureInfo.InvariantCulture) : k.EnumConstantUnsignedValue.ToString(CultureInfo.InvariantCulture),
                Doc = Doc(header, kLine),
            });
        }
        _out.Enums.Add(e);
    }

    private void VisitTypedef(Cursor c, string header, int line)
    {
        _out.Typedefs.Add(new TypedefDecl
        {
            Name = c.Spelling,
            Type = _types.Map(c.TypedefUnderlyingType),
            Header = header,
            Line = line,
            Doc = Doc(header, line),
        });
    }

    private void VisitMacroDefinition(Cursor c, string header, int line)
    {
        if (c.IsMacroFunctionLike || c.IsMacroBuiltin) return;
        string name = c.Spelling;
        if (_includedFrom is not null)
        {
            int from = _includedFrom.TryGetValue(header, out int l) ? l : 0;
            if (_macroFrom.TryGetValue(name, out int first) && first != from) return;
            _macroFrom[name] = from;
        }
        // The replacement tokens are read only for the macros a probe evaluates (see VisitProbe).
        _macros[name] = new MacroDefinition(name, header, line, c);
        _out.MacrosDefined.Add(name);
    }

    /// <summary>The replacement tokens of a macro definition, as written, one space apart.</summary>
    private string Expansion(Cursor definition)
    {
        var tokens = _tu.Tokenize(definition.Extent);
        return string.Join(" ", tokens.Skip(1).Where(t => t.Kind != CXTokenKind.Comment).Select(t => t.Text));
    }

    private void VisitMacroExpansion(Cursor c, string header, int line)
    {
        if (!c.SpellingStartsWith("DEFINE_"u8)) return; // every ring macro's name does; most expansions are not one
        string name = c.Spelling;
        if (!RingMacros.Contains(name) || header == "io/ring.h") return;
        var tokens = _tu.Tokenize(c.Extent);
        var args = new List<string>();
        var current = new List<string>();
        int depth = 0;
        foreach (var (_, text) in tokens.Skip(1))
        {
            if (text == "(" && depth++ == 0) continue;
            if (text == ")" && --depth == 0) break;
            if (text == "," && depth == 1)
            {
                args.Add(string.Join(" ", current));
                current.Clear();
                continue;
            }
            current.Add(text);
        }
        args.Add(string.Join(" ", current));
        _out.RingMacros.Add(new RingMacroUse(name, args, header, line));
    }

    /// <summary>A file-scope array of records with an initializer in a header: a constant table.</summary>
    private void VisitTable(Cursor c, string header, int line)
    {
        var type = c.Type.Canonical;
        if (type.Kind != CXTypeKind.ConstantArray || type.ArrayElement.Canonical.Kind != CXTypeKind.Record) return;
        var init = c.Children().FirstOrDefault(k => k.Kind == CXCursorKind.InitListExpr);
        if (init.Raw.Kind != CXCursorKind.InitListExpr) return;
        var element = type.ArrayElement.Canonical;
        var fields = element.Declaration.Children().Where(k => k.Kind == CXCursorKind.FieldDecl).ToList();
        var table = new ConstantTable
        {
            Name = c.Spelling,
            Record = RecordIdOf(element.Declaration) ?? element.Spelling,
            Header = header,
            Line = line,
            Doc = Doc(header, line),
        };
        foreach (var f in fields)
        {
            var ft = f.Type.Canonical;
            var pointee = ft.Kind == CXTypeKind.Pointer ? ft.Pointee : ft.ArrayElement;
            bool isString = ft.Kind is CXTypeKind.Pointer or CXTypeKind.ConstantArray
                && pointee.Canonical.Kind is CXTypeKind.CharS or CXTypeKind.CharU;
            table.Columns.Add(f.Spelling);
            table.ColumnKinds.Add(isString ? ConstantKinds.String : ConstantKinds.Int);
        }
        foreach (var row in init.Children())
        {
            var cells = row.Children();
            if (cells.Count != fields.Count) return; // not a plain table of positional rows
            var values = new List<string>();
            for (int i = 0; i < cells.Count; i++)
            {
                var v = EvalResult.Evaluate(cells[i]);
                if (v is null) return;
                if (table.ColumnKinds[i] == ConstantKinds.String)
                {
                    if (v.Value.Kind != CXEvalResultKind.StrLiteral) return;
                    values.Add(v.Value.Text ?? "");
                }
                else
                {
                    if (v.Value.Kind != CXEvalResultKind.Int) return;
                    values.Add(IntText(v.Value));
                }
            }
            table.Rows.Add(values);
        }
        _out.Tables.Add(table);
    }

    private void VisitProbe(Cursor c)
    {
        string name = c.Spelling.Substring(ConstantProbes.Prefix.Length);
        if (!_macros.TryGetValue(name, out var macro) || c.IsInvalidDeclaration) return;
        var v = EvalResult.Evaluate(c);
        if (v is null) return;
        var type = c.Type.Canonical;
        var constant = new ConstantDecl
        {
            Name = name,
            Expansion = Expansion(macro.Definition),
            Header = macro.Header,
            Line = macro.Line,
            Doc = Doc(macro.Header, macro.Line),
        };
        if (v.Value.Kind == CXEvalResultKind.Int && TypeMapper.IsInteger(type.Kind))
        {
            constant.Kind = ConstantKinds.Int;
            string spelling = type.Spelling;
            constant.CType = spelling.StartsWith("const ", StringComparison.Ordinal) ? spelling[6..] : spelling;
            constant.Size = type.Size;
            constant.Signed = type.Kind == CXTypeKind.Enum ? !v.Value.IsUnsigned : TypeMapper.IsSigned(type.Kind);
            constant.Value = IntText(v.Value);
        }
        else if (v.Value.Kind == CXEvalResultKind.StrLiteral && type.Kind == CXTypeKind.ConstantArray)
        {
            constant.Kind = ConstantKinds.String;
            constant.Value = v.Value.Text ?? "";
        }
        else
        {
            return;
        }
        _out.Constants.Add(constant);
    }

    private static string IntText(EvalResult v) =>
        v.IsUnsigned ? v.Unsigned.ToString(CultureInfo.InvariantCulture) : v.Signed.ToString(CultureInfo.InvariantCulture);
}
