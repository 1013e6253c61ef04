namespace XenGen.HeaderImporter.Clang;

/// <summary>Cursor identity within one translation unit, as libclang defines it.</summary>
internal sealed class CursorComparer : IEqualityComparer<Cursor>
{
    public static CursorComparer Instance { get; } = new();

    public bool Equals(Cursor x, Cursor y) => x.Equals(y);

    public int GetHashCode(Cursor c) => (int)NativeMethods.HashCursor(c.Raw);
}
