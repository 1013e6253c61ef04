using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace XenGen.HeaderImporter.Clang;

/// <summary>A libclang cursor: valid only while its translation unit is alive.</summary>
internal readonly struct Cursor
{
    public Cursor(CXCursor raw) => Raw = raw;

    public CXCursor Raw { get; }

    public CXCursorKind Kind => Raw.Kind;
    public string Spelling => ClangString.Take(NativeMethods.GetCursorSpelling(Raw));
    public ClangType Type => new(NativeMethods.GetCursorType(Raw));
    public bool IsNull => NativeMethods.CursorIsNull(Raw) != 0;
    public bool IsAnonymous => NativeMethods.CursorIsAnonymous(Raw) != 0;
    public bool IsAnonymousRecordDecl => NativeMethods.CursorIsAnonymousRecordDecl(Raw) != 0;
    public bool IsBitField => NativeMethods.CursorIsBitField(Raw) != 0;
    public bool IsDefinition => NativeMethods.IsCursorDefinition(Raw) != 0;
    public bool IsInvalidDeclaration => NativeMethods.IsInvalidDeclaration(Raw) != 0;
    public int BitWidth => NativeMethods.GetFieldDeclBitWidth(Raw);
    public long OffsetOfFieldBits => NativeMethods.CursorGetOffsetOfField(Raw);
    public bool IsMacroFunctionLike => NativeMethods.CursorIsMacroFunctionLike(Raw) != 0;
    public bool IsMacroBuiltin => NativeMethods.CursorIsMacroBuiltin(Raw) != 0;
    public long EnumConstantValue => NativeMethods.GetEnumConstantDeclValue(Raw);
    public ulong EnumConstantUnsignedValue => NativeMethods.GetEnumConstantDeclUnsignedValue(Raw);
    public ClangType EnumIntegerType => new(NativeMethods.GetEnumDeclIntegerType(Raw));
    public ClangType TypedefUnderlyingType => new(NativeMethods.GetTypedefDeclUnderlyingType(Raw));
    public CXSourceRange Extent => NativeMethods.GetCursorExtent(Raw);

    /// <summary>The raw comment clang attached to the declaration (needs <c>-fparse-all-comments</c>), or null.</summary>
    public string? RawComment
    {
        get
        {
            string s = ClangString.Take(NativeMethods.CursorGetRawCommentText(Raw));
            return s.Length == 0 ? null : s;
        }
    }

    /// <summary>The file (full path) and 1-based line where the cursor's macro-expanded location is.</summary>
    public (string File, int Line) Location
    {
        get
        {
            NativeMethods.GetExpansionLocation(NativeMethods.GetCursorLocation(Raw), out nint file, out uint line, out _, out _);
            return (file == 0 ? "" : ClangString.Take(NativeMethods.GetFileName(file)), (int)line);
        }
    }

    /// <summary>The file handle (0 when none) and 1-based line of the macro-expanded location, without naming the file.</summary>
    public (nint File, int Line) FileAndLine
    {
        get
        {
            NativeMethods.GetExpansionLocation(NativeMethods.GetCursorLocation(Raw), out nint file, out uint line, out _, out _);
            return (file, (int)line);
        }
    }

    /// <summary>The 1-based line of the macro-expanded location.</summary>
    public int Line => FileAndLine.Line;

    /// <summary>Whether the spelling starts with <paramref name="prefix"/> (UTF-8), without copying it.</summary>
    public unsafe bool SpellingStartsWith(ReadOnlySpan<byte> prefix)
    {
        var s = NativeMethods.GetCursorSpelling(Raw);
        try
        {
            byte* p = (byte*)NativeMethods.GetCString(s);
            return p != null && MemoryMarshal.CreateReadOnlySpanFromNullTerminated(p).StartsWith(prefix);
        }
        finally
        {
            NativeMethods.DisposeString(s);
        }
    }

    public bool Equals(Cursor other) => NativeMethods.EqualCursors(Raw, other.Raw) != 0;

    /// <summary>The direct children, in source order.</summary>
    public unsafe List<Cursor> Children()
    {
        var list = new List<Cursor>();
        var handle = GCHandle.Alloc(list);
        try
        {
            NativeMethods.VisitChildren(Raw, &CollectChild, GCHandle.ToIntPtr(handle));
        }
        finally
        {
            handle.Free();
        }
        return list;
    }

    [UnmanagedCallersOnly]
    private static CXChildVisitResult CollectChild(CXCursor cursor, CXCursor parent, nint clientData)
    {
        var list = (List<Cursor>)GCHandle.FromIntPtr(clientData).Target!;
        list.Add(new Cursor(cursor));
        return CXChildVisitResult.Continue;
    }

    public override string ToString() => $"{Kind} {Spelling}";
}
