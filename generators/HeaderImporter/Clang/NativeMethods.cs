using System.Runtime.InteropServices;

namespace XenGen.HeaderImporter.Clang;

/// <summary>The libclang C functions the importer uses, and nothing more.</summary>
internal static unsafe partial class NativeMethods
{
    private const string Lib = "libclang";

    [LibraryImport(Lib, EntryPoint = "clang_getClangVersion")] public static partial CXString GetClangVersion();
    [LibraryImport(Lib, EntryPoint = "clang_getCString")] public static partial nint GetCString(CXString s);
    [LibraryImport(Lib, EntryPoint = "clang_disposeString")] public static partial void DisposeString(CXString s);

    [LibraryImport(Lib, EntryPoint = "clang_createIndex")] public static partial nint CreateIndex(int excludeDeclarationsFromPch, int displayDiagnostics);
    [LibraryImport(Lib, EntryPoint = "clang_disposeIndex")] public static partial void DisposeIndex(nint index);

    [LibraryImport(Lib, EntryPoint = "clang_parseTranslationUnit2")]
    public static partial CXErrorCode ParseTranslationUnit2(nint index, byte* sourceFilename, byte** args, int numArgs,
        CXUnsavedFile* unsavedFiles, uint numUnsavedFiles, CXTranslationUnitFlags options, out nint translationUnit);

    [LibraryImport(Lib, EntryPoint = "clang_disposeTranslationUnit")] public static partial void DisposeTranslationUnit(nint tu);
    [LibraryImport(Lib, EntryPoint = "clang_getTranslationUnitCursor")] public static partial CXCursor GetTranslationUnitCursor(nint tu);

    [LibraryImport(Lib, EntryPoint = "clang_getNumDiagnostics")] public static partial uint GetNumDiagnostics(nint tu);
    [LibraryImport(Lib, EntryPoint = "clang_getDiagnostic")] public static partial nint GetDiagnostic(nint tu, uint index);
    [LibraryImport(Lib, EntryPoint = "clang_disposeDiagnostic")] public static partial void DisposeDiagnostic(nint diagnostic);
    [LibraryImport(Lib, EntryPoint = "clang_getDiagnosticSeverity")] public static partial CXDiagnosticSeverity GetDiagnosticSeverity(nint diagnostic);
    [LibraryImport(Lib, EntryPoint = "clang_getDiagnosticSpelling")] public static partial CXString GetDiagnosticSpelling(nint diagnostic);
    [LibraryImport(Lib, EntryPoint = "clang_getDiagnosticLocation")] public static partial CXSourceLocation GetDiagnosticLocation(nint diagnostic);

    [LibraryImport(Lib, EntryPoint = "clang_visitChildren")]
    public static partial uint VisitChildren(CXCursor parent, delegate* unmanaged<CXCursor, CXCursor, nint, CXChildVisitResult> visitor, nint clientData);

    [LibraryImport(Lib, EntryPoint = "clang_getCursorKind")] public static partial CXCursorKind GetCursorKind(CXCursor c);
    [LibraryImport(Lib, EntryPoint = "clang_getCursorSpelling")] public static partial CXString GetCursorSpelling(CXCursor c);
    [LibraryImport(Lib, EntryPoint = "clang_getCursorType")] public static partial CXType GetCursorType(CXCursor c);
    [LibraryImport(Lib, EntryPoint = "clang_getCursorLocation")] public static partial CXSourceLocation GetCursorLocation(CXCursor c);
    [LibraryImport(Lib, EntryPoint = "clang_getCursorExtent")] public static partial CXSourceRange GetCursorExtent(CXCursor c);
    [LibraryImport(Lib, EntryPoint = "clang_Cursor_isAnonymous")] public static partial uint CursorIsAnonymous(CXCursor c);
    [LibraryImport(Lib, EntryPoint = "clang_Cursor_isAnonymousRecordDecl")] public static partial uint CursorIsAnonymousRecordDecl(CXCursor c);
    [LibraryImport(Lib, EntryPoint = "clang_Cursor_isBitField")] public static partial uint CursorIsBitField(CXCursor c);
    [LibraryImport(Lib, EntryPoint = "clang_getFieldDeclBitWidth")] public static partial int GetFieldDeclBitWidth(CXCursor c);
    [LibraryImport(Lib, EntryPoint = "clang_Cursor_getOffsetOfField")] public static partial long CursorGetOffsetOfField(CXCursor c);
    [LibraryImport(Lib, EntryPoint = "clang_Cursor_getRawCommentText")] public static partial CXString CursorGetRawCommentText(CXCursor c);
    [LibraryImport(Lib, EntryPoint = "clang_Cursor_isMacroFunctionLike")] public static partial uint CursorIsMacroFunctionLike(CXCursor c);
    [LibraryImport(Lib, EntryPoint = "clang_Cursor_isMacroBuiltin")] public static partial uint CursorIsMacroBuiltin(CXCursor c);
    [LibraryImport(Lib, EntryPoint = "clang_getEnumConstantDeclValue")] public static partial long GetEnumConstantDeclValue(CXCursor c);
    [LibraryImport(Lib, EntryPoint = "clang_getEnumConstantDeclUnsignedValue")] public static partial ulong GetEnumConstantDeclUnsignedValue(CXCursor c);
    [LibraryImport(Lib, EntryPoint = "clang_getEnumDeclIntegerType")] public static partial CXType GetEnumDeclIntegerType(CXCursor c);
    [LibraryImport(Lib, EntryPoint = "clang_getTypedefDeclUnderlyingType")] public static partial CXType GetTypedefDeclUnderlyingType(CXCursor c);
    [LibraryImport(Lib, EntryPoint = "clang_Cursor_isNull")] public static partial int CursorIsNull(CXCursor c);
    [LibraryImport(Lib, EntryPoint = "clang_equalCursors")] public static partial uint EqualCursors(CXCursor a, CXCursor b);
    [LibraryImport(Lib, EntryPoint = "clang_isCursorDefinition")] public static partial uint IsCursorDefinition(CXCursor c);
    [LibraryImport(Lib, EntryPoint = "clang_hashCursor")] public static partial uint HashCursor(CXCursor c);
    [LibraryImport(Lib, EntryPoint = "clang_Type_getOffsetOf")] public static partial long TypeGetOffsetOf(CXType t, [MarshalAs(UnmanagedType.LPUTF8Str)] string field);
    [LibraryImport(Lib, EntryPoint = "clang_isInvalidDeclaration")] public static partial uint IsInvalidDeclaration(CXCursor c);

    [LibraryImport(Lib, EntryPoint = "clang_getTypeSpelling")] public static partial CXString GetTypeSpelling(CXType t);
    [LibraryImport(Lib, EntryPoint = "clang_getCanonicalType")] public static partial CXType GetCanonicalType(CXType t);
    [LibraryImport(Lib, EntryPoint = "clang_getTypeDeclaration")] public static partial CXCursor GetTypeDeclaration(CXType t);
    [LibraryImport(Lib, EntryPoint = "clang_Type_getSizeOf")] public static partial long TypeGetSizeOf(CXType t);
    [LibraryImport(Lib, EntryPoint = "clang_Type_getAlignOf")] public static partial long TypeGetAlignOf(CXType t);
    [LibraryImport(Lib, EntryPoint = "clang_getArraySize")] public static partial long GetArraySize(CXType t);
    [LibraryImport(Lib, EntryPoint = "clang_getArrayElementType")] public static partial CXType GetArrayElementType(CXType t);
    [LibraryImport(Lib, EntryPoint = "clang_getPointeeType")] public static partial CXType GetPointeeType(CXType t);

    [LibraryImport(Lib, EntryPoint = "clang_getExpansionLocation")]
    public static partial void GetExpansionLocation(CXSourceLocation location, out nint file, out uint line, out uint column, out uint offset);
    [LibraryImport(Lib, EntryPoint = "clang_getInclusions")]
    public static partial void GetInclusions(nint tu, delegate* unmanaged<nint, CXSourceLocation*, uint, nint, void> visitor, nint clientData);
    [LibraryImport(Lib, EntryPoint = "clang_Location_isFromMainFile")] public static partial int IsFromMainFile(CXSourceLocation location);
    [LibraryImport(Lib, EntryPoint = "clang_getFileName")] public static partial CXString GetFileName(nint file);

    [LibraryImport(Lib, EntryPoint = "clang_tokenize")] public static partial void Tokenize(nint tu, CXSourceRange range, out CXToken* tokens, out uint numTokens);
    [LibraryImport(Lib, EntryPoint = "clang_disposeTokens")] public static partial void DisposeTokens(nint tu, CXToken* tokens, uint numTokens);
    [LibraryImport(Lib, EntryPoint = "clang_getTokenSpelling")] public static partial CXString GetTokenSpelling(nint tu, CXToken token);
    [LibraryImport(Lib, EntryPoint = "clang_getTokenKind")] public static partial CXTokenKind GetTokenKind(CXToken token);

    [LibraryImport(Lib, EntryPoint = "clang_Cursor_Evaluate")] public static partial nint CursorEvaluate(CXCursor c);
    [LibraryImport(Lib, EntryPoint = "clang_EvalResult_getKind")] public static partial CXEvalResultKind EvalResultGetKind(nint result);
    [LibraryImport(Lib, EntryPoint = "clang_EvalResult_isUnsignedInt")] public static partial uint EvalResultIsUnsignedInt(nint result);
    [LibraryImport(Lib, EntryPoint = "clang_EvalResult_getAsUnsigned")] public static partial ulong EvalResultGetAsUnsigned(nint result);
    [LibraryImport(Lib, EntryPoint = "clang_EvalResult_getAsLongLong")] public static partial long EvalResultGetAsLongLong(nint result);
    [LibraryImport(Lib, EntryPoint = "clang_EvalResult_getAsStr")] public static partial nint EvalResultGetAsStr(nint result);
    [LibraryImport(Lib, EntryPoint = "clang_EvalResult_dispose")] public static partial void EvalResultDispose(nint result);
}
