namespace XenGen.HeaderImporter.Clang;

/// <summary>A libclang index: the context translation units are parsed in. Not shared between threads.</summary>
internal sealed class ClangIndex : IDisposable
{
    public ClangIndex()
    {
        Handle = NativeMethods.CreateIndex(excludeDeclarationsFromPch: 0, displayDiagnostics: 0);
        if (Handle == 0) throw new InvalidOperationException("clang_createIndex failed");
    }

    public nint Handle { get; private set; }

    public void Dispose()
    {
        if (Handle != 0)
        {
            NativeMethods.DisposeIndex(Handle);
            Handle = 0;
        }
    }
}
