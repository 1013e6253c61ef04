namespace Xen.XenStore.Protocol;

/// <summary>The codec of <c>XS_MKDIR</c> (creates the node (empty) and its missing parents): a path; the reply is <c>OK</c>.</summary>
public static class XsMkdirMessage
{
    /// <summary>Writes the request.</summary>
    /// <param name="writer">The request being written.</param>
    /// <param name="path">The node.</param>
    /// <returns>False when it does not fit.</returns>
    public static bool TryEncodeRequest(ref XsMessageWriter writer, scoped ReadOnlySpan<byte> path) => XsPathRequest.TryEncode(ref writer, path);

    /// <summary>Reads the request.</summary>
    /// <param name="payload">The request's payload.</param>
    /// <param name="path">The node.</param>
    /// <param name="problem">What is wrong, when it is malformed.</param>
    /// <returns>Whether it is well-formed.</returns>
    public static bool TryDecodeRequest(ReadOnlySpan<byte> payload, out ReadOnlySpan<byte> path, out string problem) => XsPathRequest.TryDecode(payload, out path, out problem);
}
