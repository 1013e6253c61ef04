namespace Xen.XenStore.Client;

/// <summary>
/// The server broke the xs_wire protocol: an oversized message, a reply to no request, a reply of the wrong
/// type or with a malformed payload, corrupt ring indices, or an error the server flagged on the ring page.
/// </summary>
public sealed class XsProtocolException : XsConnectionException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What the peer did wrong.</param>
    /// <param name="inner">The exception that detected it, if any.</param>
    public XsProtocolException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}
