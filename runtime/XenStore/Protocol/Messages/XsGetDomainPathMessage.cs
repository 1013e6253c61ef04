namespace Xen.XenStore.Protocol;

/// <summary>The codec of <c>XS_GET_DOMAIN_PATH</c>: a domain id; the reply is its home path.</summary>
public static class XsGetDomainPathMessage
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

    /// <summary>Writes the reply.</summary>
    /// <param name="writer">The reply being written.</param>
    /// <param name="path">The home path (ASCII).</param>
    /// <returns>False when it does not fit.</returns>
    public static bool TryEncodeReply(ref XsMessageWriter writer, string path) => writer.AppendString(path);

    /// <summary>Reads the reply: the path up to its NUL (which a server may leave out).</summary>
    /// <param name="payload">The reply's payload.</param>
    /// <returns>The path.</returns>
    public static ReadOnlySpan<byte> DecodeReply(ReadOnlySpan<byte> payload) => XsDecoding.FirstString(payload);
}
