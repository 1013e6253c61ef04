namespace Xen.XenStore.Protocol;

/// <summary>A XenStore operation failed with <see cref="Error"/>: an <c>XS_ERROR</c> reply, or a check the core made before sending.</summary>
public class XsErrorException : Exception
{
    /// <summary>Creates the exception for <paramref name="error"/>.</summary>
    /// <param name="error">The error.</param>
    /// <param name="operation">What failed, for the message.</param>
    public XsErrorException(XsError error, string operation)
        : base($"{operation}: {error.Name}")
    {
        Error = error;
    }

    /// <summary>The error as named by the header's table.</summary>
    public XsError Error { get; }
}
