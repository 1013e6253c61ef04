namespace Xen.Nexus.Grants;

/// <summary>No grant reference is free and the table is at Xen's maximum of frames.</summary>
public sealed class GrantTableFullException : Exception
{
    /// <summary>Creates the exception.</summary>
    public GrantTableFullException(string message) : base(message)
    {
    }
}
