using System.Text.RegularExpressions;
using Xen.Abi.Model;
using XenGen.HeaderImporter.Clang;

namespace XenGen.HeaderImporter;

/// <summary>Turns a clang type into the model's <see cref="TypeRef"/>: spelling as written, layout as resolved.</summary>
internal sealed partial class TypeMapper
{
    // clang spells an anonymous record with the absolute path of its header; the model must not depend on
    // where the headers were extracted, and the record id already says which one it is.
    [GeneratedRegex(@"\((?:unnamed|anonymous) at [^)]*\)")]
    private static partial Regex AnonymousSpelling();

    private readonly Func<Cursor, string?> _recordId;
    private readonly Func<Cursor, string?> _enumId;

    public TypeMapper(Func<Cursor, string?> recordId, Func<Cursor, string?> enumId)
    {
        _recordId = recordId;
        _enumId = enumId;
    }

    public TypeRef Map(ClangType type)
    {
        var canonical = type.Canonical;
        var t = new TypeRef
        {
            C = AnonymousSpelling().Replace(type.Spelling, "(unnamed)"),
            Size = Math.Max(0, canonical.Size),
            Align = Math.Max(0, canonical.Align),
        };
        switch (canonical.Kind)
        {
            case CXTypeKind.Void: t.Kind = TypeKinds.Void; break;
            case CXTypeKind.Bool: t.Kind = TypeKinds.Bool; break;
            case CXTypeKind.CharS or CXTypeKind.SChar: t.Kind = TypeKinds.Char; t.Signed = true; break;
            case CXTypeKind.CharU or CXTypeKind.UChar: t.Kind = TypeKinds.Char; t.Signed = false; break;
            case CXTypeKind.UShort or CXTypeKind.UInt or CXTypeKind.ULong or CXTypeKind.ULongLong or CXTypeKind.UInt128
                or CXTypeKind.Char16 or CXTypeKind.Char32:
                t.Kind = TypeKinds.Int; t.Signed = false; break;
            case CXTypeKind.Short or CXTypeKind.Int or CXTypeKind.Long or CXTypeKind.LongLong or CXTypeKind.Int128 or CXTypeKind.WChar:
                t.Kind = TypeKinds.Int; t.Signed = true; break;
            case CXTypeKind.Float or CXTypeKind.Double or CXTypeKind.LongDouble or CXTypeKind.Float16:
                t.Kind = TypeKinds.Float; break;
            case CXTypeKind.Pointer:
                t.Kind = TypeKinds.Pointer;
                t.Pointee = canonical.Pointee.Spelling;
                break;
            case CXTypeKind.Record:
                t.Kind = TypeKinds.Record;
                t.Record = _recordId(canonical.Declaration);
                break;
            case CXTypeKind.Enum:
                t.Kind = TypeKinds.Enum;
                t.Enum = _enumId(canonical.Declaration);
                t.Signed = IsSigned(canonical.Declaration.EnumIntegerType.Canonical.Kind);
                break;
            case CXTypeKind.ConstantArray or CXTypeKind.IncompleteArray:
                // Keep the element's own spelling (uint8_t, not unsigned char) when the array is written out.
                var array = type.Kind is CXTypeKind.ConstantArray or CXTypeKind.IncompleteArray ? type : canonical;
                t.Kind = TypeKinds.Array;
                t.Element = Map(array.ArrayElement);
                t.Count = canonical.Kind == CXTypeKind.ConstantArray ? canonical.ArraySize : null;
                if (t.Align == 0) t.Align = t.Element.Align;
                break;
            default:
                t.Kind = TypeKinds.Other;
                break;
        }
        return t;
    }

    public static bool IsSigned(CXTypeKind kind) =>
        kind is CXTypeKind.CharS or CXTypeKind.SChar or CXTypeKind.Short or CXTypeKind.Int or CXTypeKind.Long
            or CXTypeKind.LongLong or CXTypeKind.Int128 or CXTypeKind.WChar;

    public static bool IsInteger(CXTypeKind kind) =>
        kind is >= CXTypeKind.Bool and <= CXTypeKind.Int128 or CXTypeKind.Enum;
}
