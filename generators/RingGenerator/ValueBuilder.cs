using System.Collections.Generic;
using System.Linq;
using Xen.Abi.Model;

namespace XenGen.RingGenerator
{
    /// <summary>Turns enums, macros and constant tables into specs.</summary>
    internal sealed class ValueBuilder
    {
        private readonly ModelIndex _index;
        private readonly NameTable _names;
        private readonly ModelDiagnostics _diagnostics;

        public ValueBuilder(ModelIndex index, NameTable names, ModelDiagnostics diagnostics)
        {
            _index = index;
            _names = names;
            _diagnostics = diagnostics;
        }

        public EnumSpec? BuildEnum(EnumDecl e)
        {
            string? underlying = CTypes.Int(e.Size, e.Signed);
            if (underlying == null) return null;
            var scope = new NameScope(_names.EnumName(e.Id));
            var members = FirstOfValue(e.Constants.Select(c => Value(scope, c.Name, underlying, c.Value, c.Doc, $"C: {Docs.Code(c.Name)} = {c.Value} in {Docs.Code(EnumCName(e))}.")).Where(v => v != null).Select(v => v!)).ToEquatable();
            var doc = Docs.Build(e.Doc, $"The C {Docs.Code(EnumCName(e))}.", $"C: {Docs.Code(EnumCName(e))} in {Docs.Code(e.Header)} line {e.Line}; {e.Size} bytes, {(e.Signed ? "signed" : "unsigned")}.");
            return new EnumSpec(_names.EnumName(e.Id), underlying, doc, members, _names.EnumCNamesClass(e.Id), EnumCName(e));
        }

        private static string EnumCName(EnumDecl e) => e.Tag != null ? "enum " + e.Tag : e.Typedef ?? e.Id;

        /// <summary>The header's constants class: its macros, then the enumerators of its anonymous enums.</summary>
        public ConstantsSpec? BuildConstants(string header)
        {
            string name = _names.HeaderClass(header);
            var scope = new NameScope(name);
            var members = new List<ValueSpec>();
            foreach (var c in _index.Model.Constants.Where(c => c.Header == header))
            {
                string remark = $"C: {Docs.Code("#define " + c.Name + " " + c.Expansion)} in {Docs.Code(header)} line {c.Line}.";
                ValueSpec? v;
                switch (ModelKinds.Of(c))
                {
                    case ConstantKind.String:
                        v = new ValueSpec(scope.Claim(Naming.Pascal(c.Name)), "string", CTypes.StringLiteral(c.Value), Docs.Build(c.Doc, $"The {Docs.Code(c.Name)} macro.", remark), c.Name);
                        break;
                    case ConstantKind.Int:
                        v = CTypes.Int(c.Size, c.Signed) is string type ? Value(scope, c.Name, type, c.Value, c.Doc, remark) : null;
                        break;
                    default:
                        _diagnostics.AtConstant(Descriptors.UnhandledKind, c, $"constant {c.Name} has kind '{c.Kind}', which the constants template does not handle; it is not generated");
                        continue;
                }
                if (v != null) members.Add(v);
            }
            foreach (var e in _index.Model.Enums.Where(e => e.Header == header && !NameTable.IsNamed(e)))
            {
                string? type = CTypes.Int(e.Size, e.Signed);
                if (type == null) continue;
                foreach (var c in e.Constants)
                {
                    var v = Value(scope, c.Name, type, c.Value, c.Doc, $"C: enumerator {Docs.Code(c.Name)} = {c.Value} of an anonymous enum in {Docs.Code(header)} line {e.Line}.");
                    if (v != null) members.Add(v);
                }
            }
            if (members.Count == 0) return null;
            var doc = Docs.Build(null, $"The constants of {Docs.Code("xen/" + header)}: its macros and anonymous enumerators.", $"C: {Docs.Code(header)}, Xen {_index.Model.Release}, {_index.Model.Arch}.");
            return new ConstantsSpec(name, doc, members.ToEquatable(), scope.Claim("CNameOf"), scope.Claim("TryGetCValue"));
        }

        private static ValueSpec? Value(NameScope scope, string cName, string type, string value, string? comment, string remark)
        {
            string? literal = CTypes.Literal(value, type);
            return literal == null ? null : new ValueSpec(scope.Claim(Naming.Pascal(cName)), type, literal, Docs.Build(comment, $"The {Docs.Code(cName)} value.", remark), cName);
        }

        /// <summary>Marks which enumerators are the first, in header order, with their value (the others alias it).</summary>
        private static IEnumerable<ValueSpec> FirstOfValue(IEnumerable<ValueSpec> members)
        {
            var seen = new HashSet<string>(System.StringComparer.Ordinal);
            foreach (var v in members) yield return v with { FirstOfValue = seen.Add(v.Literal) };
        }

        /// <summary>A table with its rows and, per column, the distinct keys a lookup can find.</summary>
        public TableSpec? BuildTable(ConstantTable t)
        {
            int unknown = t.ColumnKinds.FindIndex(k => ModelKinds.Constant(k) == ConstantKind.Unknown);
            if (unknown >= 0)
            {
                _diagnostics.AtTable(Descriptors.UnhandledKind, t, $"table {t.Name}: column {t.Columns[unknown]} has kind '{t.ColumnKinds[unknown]}', which the table template does not handle; the table is not generated");
                return null;
            }
            var record = _index.Record(t.Record);
            var columns = new List<ColumnSpec>();
            var rowScope = new NameScope("Row", "Rows");
            for (int c = 0; c < t.Columns.Count; c++)
            {
                string type = "string";
                if (ModelKinds.Constant(t.ColumnKinds[c]) == ConstantKind.Int)
                {
                    var field = record?.Fields.FirstOrDefault(f => f.Name == t.Columns[c]);
                    type = (field == null ? null : CTypes.Scalar(field.Type)) ?? "long";
                }
                var keys = new List<KeySpec>();
                var seen = new HashSet<string>();
                for (int r = 0; r < t.Rows.Count; r++)
                {
                    string literal = Cell(t.Rows[r][c], type);
                    if (seen.Add(literal)) keys.Add(new KeySpec(literal, r));
                }
                columns.Add(new ColumnSpec(rowScope.Claim(Naming.Pascal(t.Columns[c])), type, t.Columns[c], keys.ToEquatable()));
            }
            var rows = t.Rows.Select(row => new RowSpec(row.Select((cell, i) => Cell(cell, columns[i].Type)).ToEquatable())).ToEquatable();
            var doc = Docs.Build(t.Doc, $"The rows of the C table {Docs.Code(t.Name)}, with a lookup by each column.",
                $"C: {Docs.Code("struct " + t.Record + " " + t.Name + "[]")} in {Docs.Code(t.Header)} line {t.Line}; {t.Rows.Count} rows.");
            return new TableSpec(_names.ClaimTopLevel(t.Header, Naming.Pascal(t.Name) + "Table"), doc, columns.ToEquatable(), rows);
        }

        private static string Cell(string value, string type) => type == "string" ? CTypes.StringLiteral(value) : CTypes.Literal(value, type) ?? "default";
    }
}
