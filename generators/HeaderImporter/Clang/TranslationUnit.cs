using System.Runtime.InteropServices;
using System.Text;

namespace XenGen.HeaderImporter.Clang;

/// <summary>One diagnostic of a parse, with its place.</summary>
internal sealed record ClangDiagnostic(CXDiagnosticSeverity Severity, string File, int Line, string Message)
{
    public bool IsError => Severity >= CXDiagnosticSeverity.Error;

    public override string ToString() => $"{(File.Length > 0 ? File : "<command line>")}:{Line}: {(IsError ? "error" : "warning")}: {Message}";
}

/// <summary>A parsed translation unit. Disposing it invalidates every cursor and type taken from it.</summary>
internal sealed unsafe class TranslationUnit : IDisposable
{
    private nint _handle;

    private TranslationUnit(nint handle) => _handle = handle;

    /// <summary>
    /// Parses <paramref name="mainFile"/> with <paramref name="args"/>; <paramref name="unsaved"/> maps file names to
    /// in-memory contents (the main file may be one of them).
    /// </summary>
    public static TranslationUnit Parse(ClangIndex index, string mainFile, IReadOnlyList<string> args,
        IReadOnlyDictionary<string, string> unsaved, CXTranslationUnitFlags flags)
    {
        var allocations = new List<nint>();
        nint Utf8(string s)
        {
            nint p = Marshal.StringToCoTaskMemUTF8(s);
            allocations.Add(p);
            return p;
        }
        try
        {
            var argv = stackalloc byte*[args.Count];
            for (int i = 0; i < args.Count; i++) argv[i] = (byte*)Utf8(args[i]);
            var files = new CXUnsavedFile[unsaved.Count];
            int n = 0;
            foreach (var (name, contents) in unsaved)
            {
                files[n++] = new CXUnsavedFile
                {
                    Filename = Utf8(name),
                    Contents = Utf8(contents),
                    Length = (nuint)Encoding.UTF8.GetByteCount(contents),
                };
            }
            fixed (CXUnsavedFile* filesPtr = files)
            {
                var code = NativeMethods.ParseTranslationUnit2(index.Handle, (byte*)Utf8(mainFile), argv, args.Count,
                    filesPtr, (uint)files.Length, flags, out nint tu);
                if (code != CXErrorCode.Success || tu == 0)
                {
                    throw new InvalidOperationException($"{mainFile}: libclang could not parse it ({code})");
                }
                return new TranslationUnit(tu);
            }
        }
        finally
        {
            foreach (var p in allocations) Marshal.FreeCoTaskMem(p);
        }
    }

    private nint Handle => _handle != 0 ? _handle : throw new ObjectDisposedException(nameof(TranslationUnit));

    public Cursor Root => new(NativeMethods.GetTranslationUnitCursor(Handle));

    public List<ClangDiagnostic> Diagnostics()
    {
        var list = new List<ClangDiagnostic>();
        uint count = NativeMethods.GetNumDiagnostics(Handle);
        for (uint i = 0; i < count; i++)
        {
            nint d = NativeMethods.GetDiagnostic(Handle, i);
            try
            {
                NativeMethods.GetExpansionLocation(NativeMethods.GetDiagnosticLocation(d), out nint file, out uint line, out _, out _);
                list.Add(new ClangDiagnostic(
                    NativeMethods.GetDiagnosticSeverity(d),
                    file == 0 ? "" : ClangString.Take(NativeMethods.GetFileName(file)),
                    (int)line,
                    ClangString.Take(NativeMethods.GetDiagnosticSpelling(d))));
            }
            finally
            {
                NativeMethods.DisposeDiagnostic(d);
            }
        }
        return list;
    }

    /// <summary>
    /// Every file the unit included, in inclusion order, with the line of the main file's <c>#include</c> that
    /// (directly or through other headers) brought it in; 0 for files not reached from the main file (forced
    /// includes). A file entered more than once is listed once, at its first inclusion.
    /// </summary>
    public List<(string File, int MainLine)> Inclusions()
    {
        var found = new List<(nint File, int MainLine)>();
        var handle = GCHandle.Alloc(found);
        try
        {
            NativeMethods.GetInclusions(Handle, &CollectInclusion, GCHandle.ToIntPtr(handle));
        }
        finally
        {
            handle.Free();
        }
        var seen = new HashSet<nint>();
        var list = new List<(string, int)>(found.Count);
        foreach (var (file, line) in found)
        {
            if (seen.Add(file)) list.Add((ClangString.Take(NativeMethods.GetFileName(file)), line));
        }
        return list;
    }

    [UnmanagedCallersOnly]
    private static void CollectInclusion(nint file, CXSourceLocation* stack, uint depth, nint clientData)
    {
        var list = (List<(nint, int)>)GCHandle.FromIntPtr(clientData).Target!;
        int line = 0;
        if (depth > 0)
        {
            // The outermost entry of the stack is the #include in the main file (or the forced include's origin).
            NativeMethods.GetExpansionLocation(stack[depth - 1], out nint from, out uint l, out _, out _);
            if (from != 0 && NativeMethods.IsFromMainFile(stack[depth - 1]) != 0) line = (int)l;
        }
        list.Add((file, line));
    }

    /// <summary>The tokens in <paramref name="range"/>, with their kinds.</summary>
    public List<(CXTokenKind Kind, string Text)> Tokenize(CXSourceRange range)
    {
        NativeMethods.Tokenize(Handle, range, out CXToken* tokens, out uint count);
        try
        {
            var list = new List<(CXTokenKind, string)>((int)count);
            for (uint i = 0; i < count; i++)
            {
                list.Add((NativeMethods.GetTokenKind(tokens[i]), ClangString.Take(NativeMethods.GetTokenSpelling(Handle, tokens[i]))));
            }
            return list;
        }
        finally
        {
            if (tokens != null) NativeMethods.DisposeTokens(Handle, tokens, count);
        }
    }

    public void Dispose()
    {
        if (_handle != 0)
        {
            NativeMethods.DisposeTranslationUnit(_handle);
            _handle = 0;
        }
    }
}
