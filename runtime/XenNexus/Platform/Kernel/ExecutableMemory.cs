using System.Runtime.InteropServices;

namespace Xen.Nexus.Platform.Kernel;

/// <summary>
/// Pages the processor may execute, for the machine-code thunks. In a hosted process they come from
/// <c>mmap(PROT_READ|PROT_WRITE|PROT_EXEC)</c>; a freestanding kernel maps its own.
/// </summary>
public static unsafe partial class ExecutableMemory
{
    private const int ProtRead = 1, ProtWrite = 2, ProtExec = 4, MapPrivate = 2, MapAnonymous = 0x20;

    /// <summary>Copies <paramref name="code"/> into a new executable page and returns its address.</summary>
    public static nint Place(ReadOnlySpan<byte> code)
    {
        var page = mmap(0, (nuint)XenPage.Size, ProtRead | ProtWrite | ProtExec, MapPrivate | MapAnonymous, -1, 0);
        if (page == -1)
            throw new InvalidOperationException("mmap of an executable page failed");
        code.CopyTo(new Span<byte>((void*)page, XenPage.Size));
        return page;
    }

    [DllImport("libc", SetLastError = true)]
    private static extern nint mmap(nint addr, nuint length, int prot, int flags, int fd, nint offset);
}
