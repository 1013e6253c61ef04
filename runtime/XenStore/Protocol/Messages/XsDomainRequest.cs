namespace Xen.XenStore.Protocol;

/// <summary>The request shape of the messages naming one domain: its id in decimal and a NUL.</summary>
internal static class XsDomainRequest
{
    public static bool TryEncode(ref XsMessageWriter writer, uint domainId) => writer.AppendUInt64(domainId);

    public static bool TryDecode(ReadOnlySpan<byte> payload, out uint domainId, out string problem)
    {
        var reader = new XsArgumentReader(payload);
        return XsDecoding.TryNumber(ref reader, out domainId, "the domain id", out problem) && XsDecoding.AtEnd(ref reader, out problem);
    }
}
