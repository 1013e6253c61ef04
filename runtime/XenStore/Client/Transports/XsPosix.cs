using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Xen.XenStore.Client.Transports;

/// <summary>
/// The three libc calls a character device needs that .NET does not offer for one: <c>read</c>, <c>write</c> and
/// <c>poll</c> (so that a blocked read can notice the transport was disposed). The constants are Linux's, not Xen's.
/// </summary>
internal static unsafe partial class XsPosix
{
    private const short PollIn = 0x001;
    private const int Eintr = 4;
    private const int Eagain = 11;

    [StructLayout(LayoutKind.Sequential)]
    private struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }

    [LibraryImport("libc", EntryPoint = "read", SetLastError = true)]
    private static partial nint ReadNative(int fd, byte* buffer, nint count);

    [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
    private static partial nint WriteNative(int fd, byte* buffer, nint count);

    [LibraryImport("libc", EntryPoint = "poll", SetLastError = true)]
    private static partial int PollNative(PollFd* fds, nuint count, int timeoutMilliseconds);

    /// <summary>Waits up to <paramref name="timeoutMilliseconds"/> for <paramref name="handle"/> to be readable (or at its end).</summary>
    /// <returns>True when a read will not block.</returns>
    public static bool WaitReadable(SafeFileHandle handle, int timeoutMilliseconds)
    {
        var fd = new PollFd { Fd = (int)handle.DangerousGetHandle(), Events = PollIn };
        int ready = PollNative(&fd, 1, timeoutMilliseconds);
        if (ready < 0) return Errno() == Eintr ? false : throw Failure("poll");
        return ready > 0;
    }

    /// <summary>One <c>read(2)</c>; returns -1 when it should be retried (interrupted, or nothing there yet).</summary>
    public static int Read(SafeFileHandle handle, Span<byte> buffer)
    {
        fixed (byte* p = buffer)
        {
            nint n = ReadNative((int)handle.DangerousGetHandle(), p, buffer.Length);
            if (n >= 0) return (int)n;
            int errno = Errno();
            return errno is Eintr or Eagain ? -1 : throw Failure("read");
        }
    }

    /// <summary>Writes all of <paramref name="data"/> with as many <c>write(2)</c> calls as it takes.</summary>
    public static void WriteAll(SafeFileHandle handle, ReadOnlySpan<byte> data)
    {
        fixed (byte* start = data)
        {
            int done = 0;
            while (done < data.Length)
            {
                nint n = WriteNative((int)handle.DangerousGetHandle(), start + done, data.Length - done);
                if (n >= 0) done += (int)n;
                else if (Errno() != Eintr) throw Failure("write");
            }
        }
    }

    private static int Errno() => Marshal.GetLastPInvokeError();

    private static IOException Failure(string call) =>
        new($"{call}: {Marshal.GetPInvokeErrorMessage(Errno())}");
}
