using System.Collections.Generic;
using System.Linq;
using Xen.Abi.Model;

namespace XenGen.RingGenerator
{
    /// <summary>Turns a model record, with its anonymous nested records, into a <see cref="TypeSpec"/>.</summary>
    internal sealed class RecordBuilder
    {
        private static readonly long[] UnitSizes = { 1, 2, 4, 8 };

        private readonly ModelIndex _index;
        private readonly NameTable _names;
        private readonly ModelDiagnostics _diagnostics;

        public RecordBuilder(ModelIndex index, NameTable names, ModelDiagnostics diagnostics)
        {
            _index = index;
            _names = names;
            _diagnostics = diagnostics;
        }

        public TypeSpec Build(RecordDecl r)
        {
            string ns = _names.Namespace(r.Header);
            var scope = _names.MemberScope(r.Id);
            var members = new List<MemberSpec>();
            var buffers = new List<BufferSpec>();
            var storage = new Dictionary<(long Start, long Unit), string>();
            foreach (var f in r.Fields)
            {
                if (f.BitWidth is int width) AddBitfield(r, f, width, scope, storage, members);
                else AddField(r, f, ns, scope, members, buffers);
            }
            var nested = _index.NestedIn(r.Id).Select(Build).ToEquatable();
            string kind = ModelKinds.Keyword(ModelKinds.Require(r));
            var doc = Docs.Build(r.Doc, $"The C {kind} {Docs.Code(CName(r))}.",
                $"C: {Docs.Code(CName(r))} in {Docs.Code(r.Header)} line {r.Line}; {r.Size} bytes, aligned to {r.Align}, on {_index.Model.Arch}.");
            return new TypeSpec(_names.SimpleName(r.Id), CName(r), r.Size, Pack(r.Align), doc, members.ToEquatable(), buffers.ToEquatable(), nested);
        }

        public static string CName(RecordDecl r) =>
            r.Tag != null ? ModelKinds.Keyword(ModelKinds.Require(r)) + " " + r.Tag : r.Typedef ?? (NameTable.IsNested(r) ? "anonymous " + ModelKinds.Keyword(ModelKinds.Require(r)) + " " + r.Id : r.Id);

        private static long Pack(long align) => align == 1 || align == 2 || align == 4 || align == 8 || align == 16 || align == 32 || align == 64 || align == 128 ? align : 1;

        private void AddField(RecordDecl r, FieldDecl f, string ns, NameScope scope, List<MemberSpec> members, List<BufferSpec> buffers)
        {
            if (f.Name == null && ModelKinds.Of(f.Type) != CTypeKind.Record) return;
            string cName = f.Name ?? f.Type.Record!.Substring(f.Type.Record!.LastIndexOf('.') + 1);
            long offset = f.OffsetBits / 8;
            string remark = $"C: {Docs.Code(Declaration(f.Type.C, f.Name ?? "/* anonymous */"))} at byte {offset}.";
            var doc = Docs.Build(f.Doc, $"The {Docs.Code(cName)} field.", remark);

            TypeRef element = f.Type;
            long count = 1;
            bool flexible = f.Flexible;
            bool isArray = false;
            while (ModelKinds.Of(element) == CTypeKind.Array && element.Element != null)
            {
                isArray = true;
                if (element.Count is long c) count *= c;
                else flexible = true;
                element = element.Element;
            }
            if (isArray && count == 0) flexible = true;

            if (flexible)
            {
                string type = ModelKinds.Of(element) == CTypeKind.Char ? "byte" : ElementType(element, ns) ?? "byte";
                members.Add(new MemberSpec(MemberKind.Flex, scope.Claim(Naming.Pascal(cName)), offset, type, 0, doc));
                return;
            }
            if (f.Size <= 0) return;
            if (!isArray)
            {
                string? type = ElementType(element, ns);
                if (type != null) members.Add(new MemberSpec(MemberKind.Field, scope.Claim(Naming.Pascal(cName)), offset, type, 1, doc));
                else AddOpaque(r, f, cName, offset, doc, scope, members);
                return;
            }
            if (ModelKinds.Of(element) == CTypeKind.Char && element.Size == 1)
            {
                string name = scope.Claim(Naming.Pascal(cName));
                members.Add(new MemberSpec(MemberKind.Chars, name, offset, "byte", count, doc,
                    BytesName: scope.Claim(name + "Bytes"), StringGetter: scope.Claim("Get" + name + "String"), StringSetter: scope.Claim("Set" + name + "String")));
                return;
            }
            if (ModelKinds.Of(element) == CTypeKind.Record && element.Record != null && _index.IsEmitted(element.Record))
            {
                string name = scope.Claim(Naming.Pascal(cName));
                string buffer = scope.Claim(name + "Array");
                buffers.Add(new BufferSpec(buffer, _names.RecordRef(element.Record, ns), count));
                members.Add(new MemberSpec(MemberKind.Inline, name, offset, buffer, count, doc));
                return;
            }
            string? scalar = CTypes.Scalar(element);
            if (scalar != null) members.Add(new MemberSpec(MemberKind.Fixed, scope.Claim(Naming.Pascal(cName)), offset, scalar, count, doc));
            else AddOpaque(r, f, cName, offset, doc, scope, members);
        }

        /// <summary>A C declaration from a type as spelled and a name: <c>uint8_t[4]</c> and <c>pad</c> give <c>uint8_t pad[4]</c>.</summary>
        private static string Declaration(string type, string name)
        {
            int bracket = type.IndexOf('[');
            return bracket > 0 ? type.Substring(0, bracket).TrimEnd() + " " + name + type.Substring(bracket) : type + " " + name;
        }

        /// <summary>The C# type of a non-array field: a generated record or enum where there is one, else a scalar.</summary>
        private string? ElementType(TypeRef t, string ns)
        {
            if (ModelKinds.Of(t) == CTypeKind.Record && t.Record != null && _index.IsEmitted(t.Record)) return _names.RecordRef(t.Record, ns);
            if (ModelKinds.Of(t) == CTypeKind.Enum && t.Enum != null && _names.HasEnum(t.Enum) && _index.EnumSize(t.Enum) == t.Size) return _names.EnumRef(t.Enum, ns);
            return CTypes.Scalar(t);
        }

        private void AddOpaque(RecordDecl r, FieldDecl f, string cName, long offset, EquatableArray<string> doc, NameScope scope, List<MemberSpec> members)
        {
            _diagnostics.AtRecord(Descriptors.OpaqueField, r,
                $"{CName(r)}.{cName} has type '{f.Type.C}' ({f.Type.Kind}), which has no C# equivalent; it is generated as {f.Size} opaque bytes");
            members.Add(new MemberSpec(MemberKind.Fixed, scope.Claim(Naming.Pascal(cName)), offset, "byte", f.Size, doc));
        }

        private void AddBitfield(RecordDecl r, FieldDecl f, int width, NameScope scope, Dictionary<(long, long), string> storage, List<MemberSpec> members)
        {
            if (f.Name == null || width == 0) return;
            long bit = f.OffsetBits;
            (long Start, long Unit)? unit = null;
            foreach (long u in new[] { f.Size }.Concat(UnitSizes.Reverse()))
            {
                if (!UnitSizes.Contains(u)) continue;
                long start = bit / 8 / u * u;
                if (bit + width <= (start + u) * 8 && start + u <= r.Size) { unit = (start, u); break; }
            }
            foreach (long u in UnitSizes)
            {
                if (unit != null) break;
                long start = bit / 8;
                if (bit + width <= (start + u) * 8 && start + u <= r.Size) unit = (start, u);
            }
            string? valueType = ModelKinds.Of(f.Type) == CTypeKind.Bool ? "bool" : CTypes.Int(f.Size, f.Type.Signed ?? true);
            if (unit == null || valueType == null || width > 64)
            {
                _diagnostics.AtRecord(Descriptors.OpaqueField, r, $"{CName(r)}.{f.Name}: a {width}-bit bitfield at bit {bit} cannot be accessed through one word; it is left out");
                return;
            }
            var (unitStart, unitSize) = unit.Value;
            if (!storage.TryGetValue(unit.Value, out var storageName))
            {
                storageName = scope.Claim("_bits" + unitStart + "_" + unitSize * 8);
                storage[unit.Value] = storageName;
                members.Add(new MemberSpec(MemberKind.Storage, storageName, unitStart, CTypes.Int(unitSize, false)!, 1, EquatableArray<string>.Empty));
            }
            int shift = (int)(bit - unitStart * 8);
            ulong mask = width == 64 ? ulong.MaxValue : (1UL << width) - 1;
            string remark = $"C: {Docs.Code(f.Type.C + " " + f.Name + " : " + width)} at bit {bit} (byte {unitStart}, bits {shift}..{shift + width - 1} of a {unitSize * 8}-bit word).";
            members.Add(new MemberSpec(MemberKind.Bits, scope.Claim(Naming.Pascal(f.Name)), unitStart, valueType, 1,
                Docs.Build(f.Doc, $"The {Docs.Code(f.Name)} bitfield.", remark),
                Storage: storageName, StorageType: CTypes.Int(unitSize, false)!, Shift: shift, Width: width,
                Signed: valueType != "bool" && (f.Type.Signed ?? true), Mask: CTypes.Hex(mask), ClearMask: CTypes.Hex(~(mask << shift))));
        }
    }
}
