namespace Xen.XenStore.Protocol;

/// <summary>The codec of <c>XS_SET_TARGET</c>: the acting domain and the domain it acts for, in decimal; the reply is <c>OK</c>.</summary>
public static class XsSetTargetMessage
{
    /// <summary>Writes the request.</summary>
    /// <param name="writer">The request being written.</param>
    /// <param name="domainId">The acting domain (a device model).</param>
    /// <param name="targetId">The domain it acts for.</param>
    /// <returns>False when it does not fit.</returns>
    public static bool TryEncodeRequest(ref XsMessageWriter writer, uint domainId, uint targetId) => writer.AppendUInt64(domainId) && writer.AppendUInt64(targetId);

    /// <summary>Reads the request.</summary>
    /// <param name="payload">The request's payload.</param>
    /// <param name="domainId">The acting domain.</param>
    /// <param name="targetId">The domain acted for.</param>
    /// <param name="problem">What is wrong, when it is malformed.</param>
    /// <returns>Whether it is well-formed.</returns>
    public static bool TryDecodeRequest(ReadOnlySpan<byte> payload, out uint domainId, out uint targetId, out string problem)
    {
        var reader = new XsArgumentReader(payload);
        targetId = 0;
        return XsDecoding.TryNumber(ref reader, out domainId, "the domain id", out problem) && XsDecoding.TryNumber(ref reader, out targetId, "the target domain id", out problem)
            && XsDecoding.AtEnd(ref reader, out problem);
    }
}
