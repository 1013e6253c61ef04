namespace Xen.XenStore.Protocol;

/// <summary>The codec of <c>XS_RESUME</c> (the domain resumed after a suspend): a domain id; the reply is <c>OK</c>.</summary>
public static class XsResumeMessage
{
    /// <summary>Writes the request.</summary>
    /// <param name="writer">The request being written.</param>
    /// <param name="domainId">The domain.</param>
    /// <returns>False when it does not fit.</returns>
    public static bool TryEncodeRequest(ref XsMessageWriter writer, uint domainId) => XsDomainRequest.TryEncode(ref writer, domainId);

    /// <summary>Reads the request.</summary>
    /// <param name="payload">The request's payload.</param>
    /// <param name="domainId">The domain.</param>
    /// <param name="problem">What is wrong, when it is malformed.</param>
    /// <returns>Whether it is well-formed.</returns>
    public static bool TryDecodeRequest(ReadOnlySpan<byte> payload, out uint domainId, out string problem) => XsDomainRequest.TryDecode(payload, out domainId, out problem);
}
