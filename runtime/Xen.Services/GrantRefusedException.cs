namespace Xen.Services;

/// <summary>The hypervisor refused a grant operation on a peer's reference: a peer's fault, never ours to crash on.</summary>
public sealed class GrantRefusedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public GrantRefusedException(string operation, ushort domain, uint grantRef, string reason, Exception? inner = null)
        : base($"{operation} of grant {grantRef} of domain {domain}: {reason}", inner)
    {
        Operation = operation;
        Domain = domain;
        GrantRef = grantRef;
    }

    /// <summary>The operation (<c>GNTTABOP_map_grant_ref</c>, <c>GNTTABOP_copy</c>).</summary>
    public string Operation { get; }

    /// <summary>The granting domain.</summary>
    public ushort Domain { get; }

    /// <summary>The reference.</summary>
    public uint GrantRef { get; }
}
