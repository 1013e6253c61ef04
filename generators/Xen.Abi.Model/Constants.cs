using System.Collections.Generic;

namespace Xen.Abi.Model
{
    /// <summary>An enumeration.</summary>
    public sealed class EnumDecl : Declared
    {
        /// <summary>The tag, else the typedef name, else <c>anon@header:line</c>.</summary>
        public string Id { get; set; } = "";

        /// <summary>The C tag, or null.</summary>
        public string? Tag { get; set; }

        /// <summary>A typedef naming this enum directly, if any.</summary>
        public string? Typedef { get; set; }

        /// <summary>The underlying integer type's size in bytes.</summary>
        public long Size { get; set; }

        /// <summary>Whether the underlying integer type is signed.</summary>
        public bool Signed { get; set; }

        /// <summary>The enumerators, in declaration order.</summary>
        public List<EnumConstant> Constants { get; set; } = new List<EnumConstant>();
    }

    /// <summary>One enumerator.</summary>
    public sealed class EnumConstant
    {
        /// <summary>The enumerator's name.</summary>
        public string Name { get; set; } = "";

        /// <summary>Its value as decimal text.</summary>
        public string Value { get; set; } = "0";

        /// <summary>The header's comment for it, if any.</summary>
        public string? Doc { get; set; }
    }

    /// <summary>The kinds of <see cref="ConstantDecl"/>.</summary>
    public static class ConstantKinds
    {
        /// <summary>An integer constant expression.</summary>
        public const string Int = "int";
        /// <summary>A string literal.</summary>
        public const string String = "string";
    }

    /// <summary>An object-like <c>#define</c> whose value clang evaluates to an integer constant or a string.</summary>
    public sealed class ConstantDecl : Declared
    {
        /// <summary>The macro name.</summary>
        public string Name { get; set; } = "";

        /// <summary>One of <see cref="ConstantKinds"/>.</summary>
        public string Kind { get; set; } = ConstantKinds.Int;

        /// <summary>The macro's replacement tokens, joined by single spaces.</summary>
        public string Expansion { get; set; } = "";

        /// <summary>For integers: the C type of the expression as clang gives it (<c>int</c>, <c>unsigned long</c>, ...).</summary>
        public string? CType { get; set; }

        /// <summary>For integers: the size in bytes of <see cref="CType"/>.</summary>
        public long Size { get; set; }

        /// <summary>For integers: whether <see cref="CType"/> is signed.</summary>
        public bool Signed { get; set; }

        /// <summary>The value: decimal text for integers, the literal's contents for strings.</summary>
        public string Value { get; set; } = "";
    }

    /// <summary>An array of records initialised in a header, such as <c>xsd_errors</c>.</summary>
    public sealed class ConstantTable : Declared
    {
        /// <summary>The variable's name.</summary>
        public string Name { get; set; } = "";

        /// <summary>The record id of the element type.</summary>
        public string Record { get; set; } = "";

        /// <summary>Column names: the element record's field names, in order.</summary>
        public List<string> Columns { get; set; } = new List<string>();

        /// <summary>Column kinds, one of <see cref="ConstantKinds"/> per column.</summary>
        public List<string> ColumnKinds { get; set; } = new List<string>();

        /// <summary>The rows; each cell is decimal text for an integer column, the string for a string column.</summary>
        public List<List<string>> Rows { get; set; } = new List<List<string>>();
    }
}
