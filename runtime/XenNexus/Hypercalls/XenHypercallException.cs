using Xen.Abi;

namespace Xen.Nexus.Hypercalls;

/// <summary>A hypercall returned a negated errno: the message names the operation and Xen's errno, <c>EVTCHNOP_bind_virq: XEN_EINVAL</c>.</summary>
public sealed class XenHypercallException : Exception
{
    /// <summary>Creates the exception for <paramref name="operation"/> failing with <paramref name="errno"/>.</summary>
    public XenHypercallException(XenOperation operation, uint errno)
        : base($"{operation.Name}: {XenErrorNames.Errno(errno)}")
    {
        Operation = operation;
        Errno = (XenErrno)errno;
    }

    /// <summary>The operation that failed.</summary>
    public XenOperation Operation { get; }

    /// <summary>Xen's errno (the hypercall returned its negation).</summary>
    public XenErrno Errno { get; }

    /// <summary>Xen's name of <see cref="Errno"/>, such as <c>XEN_EINVAL</c>.</summary>
    public string ErrnoName => XenErrorNames.Errno((uint)Errno);
}
