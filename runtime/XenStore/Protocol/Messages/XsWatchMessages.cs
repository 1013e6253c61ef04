namespace Xen.XenStore.Protocol;

/// <summary>The path and token shape of <c>XS_WATCH</c>, <c>XS_UNWATCH</c> and <c>XS_WATCH_EVENT</c>: each NUL-terminated.</summary>
internal static class XsPathAndToken
{
    public static bool TryEncode(ref XsMessageWriter writer, scoped ReadOnlySpan<byte> path, scoped ReadOnlySpan<byte> token) =>
        writer.AppendString(path) && writer.AppendString(token);

    public static bool TryDecode(ReadOnlySpan<byte> payload, out ReadOnlySpan<byte> path, out ReadOnlySpan<byte> token, out string problem)
    {
        var reader = new XsArgumentReader(payload);
        token = default;
        return XsDecoding.TryString(ref reader, out path, "the path", out problem) && XsDecoding.TryString(ref reader, out token, "the token", out problem)
            && XsDecoding.AtEnd(ref reader, out problem);
    }
}

/// <summary>The codec of <c>XS_WATCH</c>: a path (or a special path such as <c>@introduceDomain</c>) and a token; the reply is <c>OK</c>.</summary>
public static class XsWatchMessage
{
    /// <summary>Writes the request.</summary>
    /// <param name="writer">The request being written.</param>
    /// <param name="path">The path watched.</param>
    /// <param name="token">The token events will carry.</param>
    /// <returns>False when it does not fit.</returns>
    public static bool TryEncodeRequest(ref XsMessageWriter writer, scoped ReadOnlySpan<byte> path, scoped ReadOnlySpan<byte> token) => XsPathAndToken.TryEncode(ref writer, path, token);

    /// <summary>Reads the request.</summary>
    /// <param name="payload">The request's payload.</param>
    /// <param name="path">The path watched.</param>
    /// <param name="token">The token.</param>
    /// <param name="problem">What is wrong, when it is malformed.</param>
    /// <returns>Whether it is well-formed.</returns>
    public static bool TryDecodeRequest(ReadOnlySpan<byte> payload, out ReadOnlySpan<byte> path, out ReadOnlySpan<byte> token, out string problem) =>
        XsPathAndToken.TryDecode(payload, out path, out token, out problem);
}

/// <summary>The codec of <c>XS_UNWATCH</c>: the path and token of a registered watch; the reply is <c>OK</c>.</summary>
public static class XsUnwatchMessage
{
    /// <summary>Writes the request.</summary>
    /// <param name="writer">The request being written.</param>
    /// <param name="path">The path watched.</param>
    /// <param name="token">The token it was registered with.</param>
    /// <returns>False when it does not fit.</returns>
    public static bool TryEncodeRequest(ref XsMessageWriter writer, scoped ReadOnlySpan<byte> path, scoped ReadOnlySpan<byte> token) => XsPathAndToken.TryEncode(ref writer, path, token);

    /// <summary>Reads the request.</summary>
    /// <param name="payload">The request's payload.</param>
    /// <param name="path">The path watched.</param>
    /// <param name="token">The token.</param>
    /// <param name="problem">What is wrong, when it is malformed.</param>
    /// <returns>Whether it is well-formed.</returns>
    public static bool TryDecodeRequest(ReadOnlySpan<byte> payload, out ReadOnlySpan<byte> path, out ReadOnlySpan<byte> token, out string problem) =>
        XsPathAndToken.TryDecode(payload, out path, out token, out problem);
}

/// <summary>The codec of <c>XS_WATCH_EVENT</c>, sent by the server only: the path that changed and the watch's token.</summary>
public static class XsWatchEventMessage
{
    /// <summary>Writes the event.</summary>
    /// <param name="writer">The event being written.</param>
    /// <param name="path">The path reported (ASCII).</param>
    /// <param name="token">The watch's token.</param>
    /// <returns>False when it does not fit.</returns>
    public static bool TryEncode(ref XsMessageWriter writer, string path, scoped ReadOnlySpan<byte> token) => writer.AppendString(path) && writer.AppendString(token);

    /// <summary>Reads the event.</summary>
    /// <param name="payload">The event's payload.</param>
    /// <param name="path">The path reported.</param>
    /// <param name="token">The watch's token.</param>
    /// <param name="problem">What is wrong, when it is malformed.</param>
    /// <returns>Whether it is well-formed.</returns>
    public static bool TryDecode(ReadOnlySpan<byte> payload, out ReadOnlySpan<byte> path, out ReadOnlySpan<byte> token, out string problem) =>
        XsPathAndToken.TryDecode(payload, out path, out token, out problem);
}

/// <summary>The codec of <c>XS_RESET_WATCHES</c>: an empty argument (its payload is not looked at); the reply is <c>OK</c>.</summary>
public static class XsResetWatchesMessage
{
    /// <summary>Writes the request: one empty string, as libxenstore sends.</summary>
    /// <param name="writer">The request being written.</param>
    /// <returns>False when it does not fit.</returns>
    public static bool TryEncodeRequest(ref XsMessageWriter writer) => writer.AppendString(""u8);
}
