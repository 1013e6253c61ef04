namespace Xen.XenStore.Client;

/// <summary>
/// The connection to the store is unusable: the transport failed, the server closed it, or the client was disposed.
/// Every request outstanding at that moment, and every later one, fails with it; watch streams end with it.
/// </summary>
public class XsConnectionException : IOException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What happened, naming the transport.</param>
    /// <param name="inner">The transport's exception, if any.</param>
    public XsConnectionException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}
