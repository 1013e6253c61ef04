using Microsoft.Win32.SafeHandles;

namespace Xen.Linux.Devices;

/// <summary>
/// One open <c>/dev/xen</c> character device: ioctls by their C name, and <c>mmap</c> of the pages an ioctl set up at
/// an offset of the device. Every failure is a <see cref="XenDeviceException"/> naming the device, the call and errno.
/// </summary>
public sealed unsafe class XenDevice : IDisposable
{
    private readonly SafeFileHandle handle;

    private XenDevice(SafeFileHandle handle, string path)
    {
        this.handle = handle;
        Path = path;
    }

    /// <summary>The device's path.</summary>
    public string Path { get; }

    /// <summary>Opens <paramref name="path"/> for reading and writing (close-on-exec), as libxen's libraries do.</summary>
    /// <exception cref="XenDeviceException">The device is missing (not a Xen domain, or its driver not loaded) or refused.</exception>
    public static XenDevice Open(string path)
    {
        int fd = LibC.Open(path, LibC.ORdWr | LibC.OCloExec);
        if (fd < 0)
        {
            int errno = LibC.Errno();
            string? hint = File.Exists(path) ? null : "not running on Xen, or the kernel's driver for it is not loaded";
            throw new XenDeviceException(path, "open", errno, hint);
        }
        return new XenDevice(new SafeFileHandle(fd, ownsHandle: true), path);
    }

    /// <summary>Issues ioctl <paramref name="request"/> (C name <paramref name="name"/>) with <paramref name="argument"/>.</summary>
    /// <returns>The ioctl's non-negative result (a port number, a hypercall's return value).</returns>
    public int Ioctl(ulong request, void* argument, string name)
    {
        bool added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            while (true)
            {
                int result = LibC.Ioctl(Fd, (nuint)request, argument);
                if (result >= 0) return result;
                int errno = LibC.Errno();
                if (errno != LibC.Eintr) throw new XenDeviceException(Path, name, errno);
            }
        }
        finally
        {
            if (added) handle.DangerousRelease();
        }
    }

    /// <summary>Maps <paramref name="length"/> bytes of the device at <paramref name="offset"/>, shared.</summary>
    public byte* Map(nuint length, bool writable, ulong offset)
    {
        bool added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            int protection = LibC.ProtRead | (writable ? LibC.ProtWrite : 0);
            void* address = LibC.Mmap(null, length, protection, LibC.MapShared, Fd, checked((long)offset));
            if (address == LibC.MapFailed) throw new XenDeviceException(Path, "mmap", LibC.Errno());
            return (byte*)address;
        }
        finally
        {
            if (added) handle.DangerousRelease();
        }
    }

    /// <summary>Unmaps what <see cref="Map"/> returned.</summary>
    public void Unmap(byte* address, nuint length)
    {
        if (LibC.Munmap(address, length) != 0) throw new XenDeviceException(Path, "munmap", LibC.Errno());
    }

    /// <summary>Waits up to <paramref name="timeoutMilliseconds"/> for the device to be readable.</summary>
    /// <returns>True when a read will not block.</returns>
    public bool WaitReadable(int timeoutMilliseconds)
    {
        bool added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            var fd = new LibC.PollFd { Fd = Fd, Events = LibC.PollIn };
            int ready = LibC.Poll(&fd, 1, timeoutMilliseconds);
            if (ready >= 0) return ready > 0;
            int errno = LibC.Errno();
            return errno == LibC.Eintr ? false : throw new XenDeviceException(Path, "poll", errno);
        }
        finally
        {
            if (added) handle.DangerousRelease();
        }
    }

    /// <summary>One <c>read(2)</c>; -1 when it should be retried (interrupted, nothing there yet).</summary>
    /// <exception cref="XenDeviceException">The read failed (errno in <see cref="XenDeviceException.Errno"/>).</exception>
    public int Read(Span<byte> buffer)
    {
        bool added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            fixed (byte* p = buffer)
            {
                nint n = LibC.Read(Fd, p, (nuint)buffer.Length);
                if (n >= 0) return (int)n;
                int errno = LibC.Errno();
                return errno is LibC.Eintr or LibC.Eagain ? -1 : throw new XenDeviceException(Path, "read", errno);
            }
        }
        finally
        {
            if (added) handle.DangerousRelease();
        }
    }

    /// <summary>Writes all of <paramref name="data"/>.</summary>
    public void Write(ReadOnlySpan<byte> data)
    {
        bool added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            fixed (byte* start = data)
            {
                int done = 0;
                while (done < data.Length)
                {
                    nint n = LibC.Write(Fd, start + done, (nuint)(data.Length - done));
                    if (n >= 0) done += (int)n;
                    else if (LibC.Errno() != LibC.Eintr) throw new XenDeviceException(Path, "write", LibC.Errno());
                }
            }
        }
        finally
        {
            if (added) handle.DangerousRelease();
        }
    }

    private int Fd => (int)handle.DangerousGetHandle();

    /// <summary>Closes the device once no call uses it.</summary>
    public void Dispose() => handle.Dispose();
}
