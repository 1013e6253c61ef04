namespace Xen.XenStore.Protocol;

/// <summary>The request shape of the messages naming one node and nothing else: its path and a NUL.</summary>
internal static class XsPathRequest
{
    public static bool TryEncode(ref XsMessageWriter writer, scoped ReadOnlySpan<byte> path) => writer.AppendString(path);

    public static bool TryDecode(ReadOnlySpan<byte> payload, out ReadOnlySpan<byte> path, out string problem)
    {
        var reader = new XsArgumentReader(payload);
        return XsDecoding.TryString(ref reader, out path, "the path", out problem) && XsDecoding.AtEnd(ref reader, out problem);
    }
}
