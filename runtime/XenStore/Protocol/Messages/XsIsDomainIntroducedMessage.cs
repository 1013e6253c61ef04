namespace Xen.XenStore.Protocol;

/// <summary>The codec of <c>XS_IS_DOMAIN_INTRODUCED</c>: a domain id; the reply is <c>T</c> or <c>F</c>.</summary>
public static class XsIsDomainIntroducedMessage
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
    /// <param name="introduced">Whether the store knows the domain.</param>
    /// <returns>False when it does not fit.</returns>
    public static bool TryEncodeReply(ref XsMessageWriter writer, bool introduced) => writer.AppendString(introduced ? "T"u8 : "F"u8);

    /// <summary>Reads the reply (its NUL may be missing).</summary>
    /// <param name="payload">The reply's payload.</param>
    /// <param name="introduced">Whether the store knows the domain.</param>
    /// <param name="problem">What is wrong, when it is malformed.</param>
    /// <returns>Whether it is well-formed.</returns>
    public static bool TryDecodeReply(ReadOnlySpan<byte> payload, out bool introduced, out string problem)
    {
        var answer = XsDecoding.FirstString(payload);
        introduced = answer.SequenceEqual("T"u8);
        return introduced || answer.SequenceEqual("F"u8) ? XsDecoding.Valid(out problem) : XsDecoding.Malformed(out problem, "is neither T nor F");
    }
}
