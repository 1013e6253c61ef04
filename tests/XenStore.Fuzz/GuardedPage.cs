using System.Runtime.InteropServices;
using Xen.Abi.Io;

namespace Xen.XenStore.Fuzz;

/// <summary>
/// A store page placed between two inaccessible (PROT_NONE) pages, at the start or at the end of its own
/// page: any read or write outside <see cref="XenstoreDomainInterface"/> crashes the process, which is how the
/// fuzzer and the tests prove the ring transport stays inside the page.
/// </summary>
public sealed unsafe partial class GuardedPage : IDisposable
{
    private const int ProtNone = 0, ProtRead = 1, ProtWrite = 2, MapPrivate = 2, MapAnonymous = 0x20;
    private readonly byte* _mapping;
    private readonly nuint _length;

    /// <summary>Maps three pages and opens the middle one, with the interface at its start or its end.</summary>
    /// <param name="atEnd">Whether the interface ends where the guard page after it begins.</param>
    public GuardedPage(bool atEnd)
    {
        int page = Environment.SystemPageSize;
        _length = (nuint)(3 * page);
        _mapping = (byte*)Mmap(null, _length, ProtNone, MapPrivate | MapAnonymous, -1, 0);
        if (_mapping == (byte*)-1) throw new InvalidOperationException($"mmap failed: errno {Marshal.GetLastPInvokeError()}");
        if (Mprotect(_mapping + page, (nuint)page, ProtRead | ProtWrite) != 0) throw new InvalidOperationException($"mprotect failed: errno {Marshal.GetLastPInvokeError()}");
        int offset = atEnd ? page - sizeof(XenstoreDomainInterface) : 0;
        Page = (XenstoreDomainInterface*)(_mapping + page + offset);
    }

    /// <summary>The interface.</summary>
    public XenstoreDomainInterface* Page { get; }

    /// <summary>Unmaps the three pages.</summary>
    public void Dispose() => Munmap(_mapping, _length);

    [LibraryImport("libc", EntryPoint = "mmap", SetLastError = true)]
    private static partial void* Mmap(void* address, nuint length, int protection, int flags, int fd, nint offset);

    [LibraryImport("libc", EntryPoint = "mprotect", SetLastError = true)]
    private static partial int Mprotect(void* address, nuint length, int protection);

    [LibraryImport("libc", EntryPoint = "munmap", SetLastError = true)]
    private static partial int Munmap(void* address, nuint length);
}
