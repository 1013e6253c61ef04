namespace Xen.Simulator.Hypercalls;

/// <summary>Xen's failure return: the negated errno of xen/errno.h.</summary>
internal static class Errno
{
    /// <summary>The hypercall return value for <paramref name="errno"/>.</summary>
    internal static long Of(XenErrno errno) => -(long)errno;

    internal static readonly long Fault = Of(XenErrno.XenEfault);
    internal static readonly long Invalid = Of(XenErrno.XenEinval);
    internal static readonly long NoSys = Of(XenErrno.XenEnosys);
    internal static readonly long Permission = Of(XenErrno.XenEperm);
    internal static readonly long NoSuchDomain = Of(XenErrno.XenEsrch);
    internal static readonly long NoEntry = Of(XenErrno.XenEnoent);
    internal static readonly long Exists = Of(XenErrno.XenEexist);
    internal static readonly long NoSpace = Of(XenErrno.XenEnospc);
    internal static readonly long Busy = Of(XenErrno.XenEbusy);
}
