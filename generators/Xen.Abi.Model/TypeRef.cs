namespace Xen.Abi.Model
{
    /// <summary>The kind of a C type after typedefs are resolved.</summary>
    public static class TypeKinds
    {
        /// <summary><c>void</c>.</summary>
        public const string Void = "void";
        /// <summary><c>_Bool</c>.</summary>
        public const string Bool = "bool";
        /// <summary>Plain, signed or unsigned <c>char</c>: kept apart from integers so char arrays can be strings.</summary>
        public const string Char = "char";
        /// <summary>Any other integer type.</summary>
        public const string Int = "int";
        /// <summary>Floating point.</summary>
        public const string Float = "float";
        /// <summary>Any pointer (data or function).</summary>
        public const string Pointer = "pointer";
        /// <summary>A struct or union; <see cref="TypeRef.Record"/> names it.</summary>
        public const string Record = "record";
        /// <summary>An enumeration; <see cref="TypeRef.Enum"/> names it.</summary>
        public const string Enum = "enum";
        /// <summary>An array; <see cref="TypeRef.Element"/> and <see cref="TypeRef.Count"/> describe it.</summary>
        public const string Array = "array";
        /// <summary>Anything else (function types).</summary>
        public const string Other = "other";
    }

    /// <summary>A C type as used by a field, typedef or table: its spelling and its resolved layout.</summary>
    public sealed class TypeRef
    {
        /// <summary>One of <see cref="TypeKinds"/>.</summary>
        public string Kind { get; set; } = TypeKinds.Other;

        /// <summary>The type as written in the header, such as <c>grant_ref_t</c> or <c>uint8_t[16]</c>.</summary>
        public string C { get; set; } = "";

        /// <summary>Size in bytes; 0 for incomplete types such as flexible arrays.</summary>
        public long Size { get; set; }

        /// <summary>Alignment in bytes; 0 when unknown.</summary>
        public long Align { get; set; }

        /// <summary>For integers, chars and enums: whether the type is signed.</summary>
        public bool? Signed { get; set; }

        /// <summary>For records: the record's <see cref="RecordDecl.Id"/>.</summary>
        public string? Record { get; set; }

        /// <summary>For enums: the enum's <see cref="EnumDecl.Id"/>.</summary>
        public string? Enum { get; set; }

        /// <summary>For arrays: the element type.</summary>
        public TypeRef? Element { get; set; }

        /// <summary>For arrays: the element count; null for a flexible (incomplete) array.</summary>
        public long? Count { get; set; }

        /// <summary>For pointers: the pointee as written (informational; layouts never follow pointers).</summary>
        public string? Pointee { get; set; }
    }
}
