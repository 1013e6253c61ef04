namespace Xen.Nexus.Grants;

/// <summary>What a peer may do with a granted frame.</summary>
public enum GrantAccess
{
    /// <summary>Map and copy from and to it.</summary>
    ReadWrite,

    /// <summary>Map it read-only and copy from it (<c>GTF_readonly</c>).</summary>
    ReadOnly,
}
