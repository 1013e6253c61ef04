namespace Xen.XenStore.Protocol;

/// <summary>The codec of <c>XS_INTRODUCE</c>: a domain id, the frame number of its store page and its event channel port, each in decimal; the reply is <c>OK</c>.</summary>
public static class XsIntroduceMessage
{
    /// <summary>Writes the request.</summary>
    /// <param name="writer">The request being written.</param>
    /// <param name="domainId">The guest.</param>
    /// <param name="frame">The frame number of its store page.</param>
    /// <param name="port">Its unbound event channel port.</param>
    /// <returns>False when it does not fit.</returns>
    public static bool TryEncodeRequest(ref XsMessageWriter writer, uint domainId, ulong frame, uint port) =>
        writer.AppendUInt64(domainId) && writer.AppendUInt64(frame) && writer.AppendUInt64(port);

    /// <summary>Reads the request.</summary>
    /// <param name="payload">The request's payload.</param>
    /// <param name="domainId">The guest.</param>
    /// <param name="frame">The frame number.</param>
    /// <param name="port">The port.</param>
    /// <param name="problem">What is wrong, when it is malformed.</param>
    /// <returns>Whether it is well-formed.</returns>
    public static bool TryDecodeRequest(ReadOnlySpan<byte> payload, out uint domainId, out ulong frame, out uint port, out string problem)
    {
        var reader = new XsArgumentReader(payload);
        frame = 0;
        port = 0;
        if (!XsDecoding.TryNumber(ref reader, out domainId, "the domain id", out problem)) return false;
        if (!reader.TryReadUInt64(out frame)) return XsDecoding.Malformed(out problem, "lacks the frame number (a NUL-terminated decimal number)");
        return XsDecoding.TryNumber(ref reader, out port, "the event channel port", out problem);
    }
}
