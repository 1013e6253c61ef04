using System.Runtime.InteropServices;

namespace XenGen.HeaderImporter.Clang;

internal static class ClangString
{
    /// <summary>Copies a libclang string into managed memory and frees the native one.</summary>
    public static string Take(CXString s)
    {
        try
        {
            nint p = NativeMethods.GetCString(s);
            return p == 0 ? "" : Marshal.PtrToStringUTF8(p) ?? "";
        }
        finally
        {
            NativeMethods.DisposeString(s);
        }
    }

    /// <summary>The version text of the loaded libclang, such as <c>clang version 22.1.8</c>.</summary>
    public static string LibclangVersion => Take(NativeMethods.GetClangVersion());
}
