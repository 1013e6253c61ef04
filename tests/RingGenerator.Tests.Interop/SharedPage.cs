using System.Runtime.InteropServices;

namespace XenGen.Tests.Interop;

/// <summary>
/// A zeroed temporary file of one 4096-byte page, mapped MAP_SHARED into this process between two inaccessible guard
/// pages, so that any access by the C# side outside the page faults instead of passing unnoticed. Another process maps
/// the same file by its <see cref="Path"/>. The mapping is released and the file removed on dispose.
/// </summary>
public sealed unsafe partial class SharedPage : IDisposable
{
    /// <summary>The page size, and the file's length.</summary>
    public const int Size = 4096;

    private const int ProtNone = 0, ProtRead = 1, ProtWrite = 2;
    private const int MapShared = 0x01, MapPrivate = 0x02, MapFixed = 0x10, MapAnonymous = 0x20;
    private readonly byte* _reservation;

    /// <summary>Creates the file and maps it.</summary>
    /// <exception cref="InvalidOperationException">The system page size is not 4096, or mmap failed.</exception>
    public SharedPage()
    {
        if (Environment.SystemPageSize != Size) throw new InvalidOperationException($"system page size {Environment.SystemPageSize}, not {Size}");
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"xengen-page-{Environment.ProcessId}-{Guid.NewGuid():N}");
        using (var f = File.Create(Path)) f.SetLength(Size);
        _reservation = Map(null, 3 * Size, ProtNone, MapPrivate | MapAnonymous, -1, "reserve the guard pages");
        using var file = File.OpenHandle(Path, FileMode.Open, FileAccess.ReadWrite);
        Page = Map(_reservation + Size, Size, ProtRead | ProtWrite, MapShared | MapFixed, (int)file.DangerousGetHandle(), "map " + Path);
    }

    /// <summary>The file's path.</summary>
    public string Path { get; }

    /// <summary>The shared page: the file's 4096 bytes.</summary>
    public byte* Page { get; }

    /// <summary>Unmaps the page and its guards and deletes the file.</summary>
    public void Dispose()
    {
        MUnmap(_reservation, 3 * Size);
        File.Delete(Path);
    }

    private static byte* Map(byte* address, nuint length, int protection, int flags, int fd, string what)
    {
        byte* p = MMap(address, length, protection, flags, fd, 0);
        if (p == (byte*)-1) throw new InvalidOperationException($"mmap ({what}) failed with errno {Marshal.GetLastPInvokeError()}");
        return p;
    }

    [LibraryImport("libc", EntryPoint = "mmap", SetLastError = true)]
    private static partial byte* MMap(byte* address, nuint length, int protection, int flags, int fd, nint offset);

    [LibraryImport("libc", EntryPoint = "munmap")]
    private static partial int MUnmap(byte* address, nuint length);
}
