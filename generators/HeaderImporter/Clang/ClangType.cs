namespace XenGen.HeaderImporter.Clang;

/// <summary>A libclang type: valid only while its translation unit is alive.</summary>
internal readonly struct ClangType
{
    public ClangType(CXType raw) => Raw = raw;

    public CXType Raw { get; }

    public CXTypeKind Kind => Raw.Kind;
    public string Spelling => ClangString.Take(NativeMethods.GetTypeSpelling(Raw));
    public ClangType Canonical => new(NativeMethods.GetCanonicalType(Raw));
    public Cursor Declaration => new(NativeMethods.GetTypeDeclaration(Raw));

    /// <summary>Size in bytes, or a negative CXTypeLayoutError for incomplete or dependent types.</summary>
    public long Size => NativeMethods.TypeGetSizeOf(Raw);

    /// <summary>Alignment in bytes, or a negative CXTypeLayoutError.</summary>
    public long Align => NativeMethods.TypeGetAlignOf(Raw);

    /// <summary>Offset in bits of a (possibly nested anonymous) field, or a negative CXTypeLayoutError.</summary>
    public long OffsetOfBits(string field) => NativeMethods.TypeGetOffsetOf(Raw, field);

    public long ArraySize => NativeMethods.GetArraySize(Raw);
    public ClangType ArrayElement => new(NativeMethods.GetArrayElementType(Raw));
    public ClangType Pointee => new(NativeMethods.GetPointeeType(Raw));
}
