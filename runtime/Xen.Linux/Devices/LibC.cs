using System.Runtime.InteropServices;

namespace Xen.Linux.Devices;

/// <summary>
/// The C library calls a Xen device needs (<c>open</c>, <c>ioctl</c>, <c>mmap</c>, <c>read</c>, <c>write</c>,
/// <c>poll</c>) and the few Linux numbers they take. These are Linux's, not Xen's; a test proves each against the C
/// library's own headers.
/// </summary>
internal static unsafe partial class LibC
{
    public const int ORdWr = 0x2;
    public const int OCloExec = 0x80000;
    public const int ProtRead = 0x1;
    public const int ProtWrite = 0x2;
    public const int MapShared = 0x1;
    public const short PollIn = 0x1;
    public const int Eintr = 4;
    public const int Eagain = 11;
    public const int Efbig = 27;

    /// <summary><c>MAP_FAILED</c>.</summary>
    public static readonly void* MapFailed = (void*)-1;

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);

    [LibraryImport("libc", EntryPoint = "ioctl", SetLastError = true)]
    public static partial int Ioctl(int fd, nuint request, void* argument);

    [LibraryImport("libc", EntryPoint = "mmap", SetLastError = true)]
    public static partial void* Mmap(void* address, nuint length, int protection, int flags, int fd, long offset);

    [LibraryImport("libc", EntryPoint = "munmap", SetLastError = true)]
    public static partial int Munmap(void* address, nuint length);

    [LibraryImport("libc", EntryPoint = "read", SetLastError = true)]
    public static partial nint Read(int fd, void* buffer, nuint count);

    [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
    public static partial nint Write(int fd, void* buffer, nuint count);

    [StructLayout(LayoutKind.Sequential)]
    public struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }

    [LibraryImport("libc", EntryPoint = "poll", SetLastError = true)]
    public static partial int Poll(PollFd* fds, nuint count, int timeoutMilliseconds);

    [LibraryImport("libc", EntryPoint = "strerrorname_np")]
    private static partial byte* StrerrornameNp(int errnum);

    /// <summary>The errno of the last call.</summary>
    public static int Errno() => Marshal.GetLastPInvokeError();

    /// <summary><paramref name="errno"/> as <c>EINVAL (Invalid argument)</c>.</summary>
    public static string Describe(int errno)
    {
        var name = StrerrornameNp(errno);
        string symbol = name is null ? $"errno {errno}" : Marshal.PtrToStringUTF8((nint)name)!;
        return $"{symbol} ({Marshal.GetPInvokeErrorMessage(errno)})";
    }
}
