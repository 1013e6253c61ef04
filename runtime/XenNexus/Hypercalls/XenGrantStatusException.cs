namespace Xen.Nexus.Hypercalls;

/// <summary>
/// A grant-table operation succeeded as a hypercall but its struct's <c>status</c> is a <c>GNTST_*</c> error: the
/// message names the operation and the status, <c>GNTTABOP_map_grant_ref: GNTST_bad_gntref</c>.
/// </summary>
public sealed class XenGrantStatusException : Exception
{
    /// <summary>Creates the exception for <paramref name="operation"/> with <paramref name="status"/>.</summary>
    public XenGrantStatusException(XenOperation operation, int status)
        : base($"{operation.Name}: {XenErrorNames.GrantStatus(status)}")
    {
        Operation = operation;
        Status = status;
    }

    /// <summary>The operation whose status is an error.</summary>
    public XenOperation Operation { get; }

    /// <summary>The <c>GNTST_*</c> value.</summary>
    public int Status { get; }

    /// <summary>Xen's name of <see cref="Status"/>.</summary>
    public string StatusName => XenErrorNames.GrantStatus(Status);
}
