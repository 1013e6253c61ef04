using Xen.Abi.Model;

namespace XenGen.RingGenerator
{
    /// <summary>What a <see cref="MemberSpec"/> becomes in <c>record.scriban</c>.</summary>
    internal enum MemberKind
    {
        /// <summary>A public field of a scalar, enum or record type.</summary>
        Field,
        /// <summary>A fixed buffer of a primitive.</summary>
        Fixed,
        /// <summary>A C <c>char</c> array: a fixed byte buffer with span and string helpers.</summary>
        Chars,
        /// <summary>An inline array of records.</summary>
        Inline,
        /// <summary>The private word holding bitfields.</summary>
        Storage,
        /// <summary>A bitfield property over a storage word.</summary>
        Bits,
        /// <summary>A flexible array member's accessor method.</summary>
        Flex,
    }

    /// <summary>Which ring template a <see cref="RingSpec"/> is rendered with.</summary>
    internal enum RingKind
    {
        /// <summary>Front and back ring types over a <c>DEFINE_RING_TYPES</c> shared ring (<c>ring_ring.scriban</c>).</summary>
        RequestResponse,
        /// <summary>A fixed-size byte ring page (<c>ring_byte.scriban</c>).</summary>
        Byte,
        /// <summary>A flex ring of a runtime order (<c>ring_flex.scriban</c>).</summary>
        Flex,
    }

    /// <summary>The accessibility of every generated type (<c>XenAbiVisibility</c>).</summary>
    internal enum AbiVisibility
    {
        /// <summary><c>public</c>, the default: an ABI assembly such as <c>runtime/Xen.Abi</c>.</summary>
        Public,
        /// <summary><c>internal</c>: a consumer's private subset.</summary>
        Internal,
    }

    /// <summary>The values of <c>XenAbiVisibility</c>.</summary>
    internal static class Visibilities
    {
        /// <summary>The visibility a setting names (<c>public</c> when it is not set), or null for any other value.</summary>
        public static AbiVisibility? Parse(string? setting)
        {
            if (setting == null || string.Equals(setting, "public", System.StringComparison.OrdinalIgnoreCase)) return AbiVisibility.Public;
            if (string.Equals(setting, "internal", System.StringComparison.OrdinalIgnoreCase)) return AbiVisibility.Internal;
            return null;
        }

        /// <summary>The C# keyword of a visibility, or null for a value without one.</summary>
        public static string? Keyword(AbiVisibility visibility)
        {
            switch (visibility)
            {
                case AbiVisibility.Public: return "public";
                case AbiVisibility.Internal: return "internal";
                default: return null;
            }
        }
    }

    /// <summary>A model record's C kind.</summary>
    internal enum RecordKind
    {
        /// <summary>A C struct.</summary>
        Struct,
        /// <summary>A C union.</summary>
        Union,
    }

    /// <summary>A model type reference's kind (<see cref="TypeKinds"/>).</summary>
    internal enum CTypeKind
    {
        /// <summary>A kind this generator does not know.</summary>
        Unknown,
        /// <summary><c>void</c>.</summary>
        Void,
        /// <summary><c>_Bool</c>.</summary>
        Bool,
        /// <summary><c>char</c>.</summary>
        Char,
        /// <summary>Any other integer.</summary>
        Int,
        /// <summary>Floating point.</summary>
        Float,
        /// <summary>A pointer.</summary>
        Pointer,
        /// <summary>A struct or union.</summary>
        Record,
        /// <summary>An enumeration.</summary>
        Enum,
        /// <summary>An array.</summary>
        Array,
        /// <summary>Anything else (function types).</summary>
        Other,
    }

    /// <summary>A model constant's or table column's kind (<see cref="ConstantKinds"/>).</summary>
    internal enum ConstantKind
    {
        /// <summary>A kind this generator does not know.</summary>
        Unknown,
        /// <summary>An integer.</summary>
        Int,
        /// <summary>A string literal.</summary>
        String,
    }

    /// <summary>
    /// The model's kinds, which are strings in the JSON, as the generator's enums. Every comparison with a model kind
    /// goes through here, so a kind the generator does not know is seen once and reported, never taken for another.
    /// </summary>
    internal static class ModelKinds
    {
        public static CTypeKind Of(TypeRef t)
        {
            switch (t.Kind)
            {
                case TypeKinds.Void: return CTypeKind.Void;
                case TypeKinds.Bool: return CTypeKind.Bool;
                case TypeKinds.Char: return CTypeKind.Char;
                case TypeKinds.Int: return CTypeKind.Int;
                case TypeKinds.Float: return CTypeKind.Float;
                case TypeKinds.Pointer: return CTypeKind.Pointer;
                case TypeKinds.Record: return CTypeKind.Record;
                case TypeKinds.Enum: return CTypeKind.Enum;
                case TypeKinds.Array: return CTypeKind.Array;
                case TypeKinds.Other: return CTypeKind.Other;
                default: return CTypeKind.Unknown;
            }
        }

        /// <summary>The record's kind, or null for a kind this generator does not know.</summary>
        public static RecordKind? Of(RecordDecl r)
        {
            switch (r.Kind)
            {
                case "struct": return RecordKind.Struct;
                case "union": return RecordKind.Union;
                default: return null;
            }
        }

        /// <summary>The template kind of a model ring, or null for a kind this generator does not know.</summary>
        public static RingKind? Of(RingDecl g)
        {
            switch (g.Kind)
            {
                case RingKinds.Ring: return RingKind.RequestResponse;
                case RingKinds.ByteRing: return RingKind.Byte;
                case RingKinds.FlexRing:
                case RingKinds.FlexRingAndIntf: return RingKind.Flex;
                default: return null;
            }
        }

        public static ConstantKind Of(ConstantDecl c) => Constant(c.Kind);

        public static ConstantKind Constant(string kind)
        {
            switch (kind)
            {
                case ConstantKinds.Int: return ConstantKind.Int;
                case ConstantKinds.String: return ConstantKind.String;
                default: return ConstantKind.Unknown;
            }
        }

        /// <summary>The record's kind.</summary>
        /// <exception cref="ModelException">The model gives a kind this generator does not know.</exception>
        public static RecordKind Require(RecordDecl r) =>
            Of(r) ?? throw new ModelException($"record '{r.Id}' has kind '{r.Kind}', which is neither struct nor union", r);

        /// <summary>The C keyword of a record kind.</summary>
        public static string Keyword(RecordKind kind) => kind == RecordKind.Union ? "union" : "struct";
    }
}
