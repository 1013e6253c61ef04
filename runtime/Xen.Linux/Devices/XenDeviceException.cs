namespace Xen.Linux.Devices;

/// <summary>A call on a <c>/dev/xen</c> device failed: names the device, the operation (the ioctl's C name) and errno.</summary>
public sealed class XenDeviceException : IOException
{
    /// <summary>Creates the exception for <paramref name="operation"/> on <paramref name="device"/> failing with <paramref name="errno"/>.</summary>
    public XenDeviceException(string device, string operation, int errno, string? hint = null)
        : base($"{operation} on {device}: {LibC.Describe(errno)}{(hint is null ? "" : "; " + hint)}")
    {
        Device = device;
        Operation = operation;
        Errno = errno;
    }

    /// <summary>The device path (<c>/dev/xen/evtchn</c>).</summary>
    public string Device { get; }

    /// <summary>The operation: an ioctl's C name (<c>IOCTL_EVTCHN_BIND_INTERDOMAIN</c>), or <c>open</c>, <c>mmap</c>, <c>read</c>, <c>write</c>.</summary>
    public string Operation { get; }

    /// <summary>Linux's errno.</summary>
    public int Errno { get; }
}
