using System.Buffers.Text;

namespace Xen.XenStore.Protocol;

/// <summary>The codec of <c>XS_READ</c>: a path; the reply is the node's value, the whole payload.</summary>
public static class XsReadMessage
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

    /// <summary>Writes the reply.</summary>
    /// <param name="writer">The reply being written.</param>
    /// <param name="value">The value.</param>
    /// <returns>False when it does not fit.</returns>
    public static bool TryEncodeReply(ref XsMessageWriter writer, scoped ReadOnlySpan<byte> value) => writer.AppendBytes(value);

    /// <summary>Reads the reply: any bytes are a value.</summary>
    /// <param name="payload">The reply's payload.</param>
    /// <returns>The value.</returns>
    public static ReadOnlySpan<byte> DecodeReply(ReadOnlySpan<byte> payload) => payload;
}

/// <summary>The codec of <c>XS_WRITE</c>: a path and its NUL, then the value's bytes without a terminator; the reply is <c>OK</c>.</summary>
public static class XsWriteMessage
{
    /// <summary>Writes the request.</summary>
    /// <param name="writer">The request being written.</param>
    /// <param name="path">The node.</param>
    /// <param name="value">The value.</param>
    /// <returns>False when it does not fit.</returns>
    public static bool TryEncodeRequest(ref XsMessageWriter writer, scoped ReadOnlySpan<byte> path, scoped ReadOnlySpan<byte> value) =>
        writer.AppendString(path) && writer.AppendBytes(value);

    /// <summary>Reads the request.</summary>
    /// <param name="payload">The request's payload.</param>
    /// <param name="path">The node.</param>
    /// <param name="value">The value (the rest of the payload, NULs included).</param>
    /// <param name="problem">What is wrong, when it is malformed.</param>
    /// <returns>Whether it is well-formed.</returns>
    public static bool TryDecodeRequest(ReadOnlySpan<byte> payload, out ReadOnlySpan<byte> path, out ReadOnlySpan<byte> value, out string problem)
    {
        var reader = new XsArgumentReader(payload);
        bool valid = XsDecoding.TryString(ref reader, out path, "the path", out problem);
        value = reader.ReadToEnd();
        return valid;
    }
}

/// <summary>The codec of <c>XS_DIRECTORY</c>: a path; the reply is the children's names, each NUL-terminated.</summary>
public static class XsDirectoryMessage
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

    /// <summary>Writes one name of the reply.</summary>
    /// <param name="writer">The reply being written.</param>
    /// <param name="name">A child's name (ASCII).</param>
    /// <returns>False when it does not fit (the server answers <c>E2BIG</c>, the client goes on with <c>XS_DIRECTORY_PART</c>).</returns>
    public static bool TryEncodeReplyName(ref XsMessageWriter writer, string name) => writer.AppendString(name);

    /// <summary>Reads the reply.</summary>
    /// <param name="payload">The reply's payload.</param>
    /// <param name="names">The names.</param>
    /// <param name="problem">What is wrong, when it is malformed.</param>
    /// <returns>Whether it is well-formed.</returns>
    public static bool TryDecodeReply(ReadOnlySpan<byte> payload, out XsStringList names, out string problem) => XsStringList.TryRead(payload, out names, out problem);
}

/// <summary>
/// The codec of <c>XS_DIRECTORY_PART</c>: a path and a byte offset into the list of children; the reply is the
/// node's generation, as many whole names from the offset as fit, and an empty string once the list is complete.
/// </summary>
public static class XsDirectoryPartMessage
{
    /// <summary>Writes the request.</summary>
    /// <param name="writer">The request being written.</param>
    /// <param name="path">The node.</param>
    /// <param name="offset">The offset into the list <c>name\0name\0...</c>.</param>
    /// <returns>False when it does not fit.</returns>
    public static bool TryEncodeRequest(ref XsMessageWriter writer, scoped ReadOnlySpan<byte> path, uint offset) =>
        writer.AppendString(path) && writer.AppendUInt64(offset);

    /// <summary>Reads the request.</summary>
    /// <param name="payload">The request's payload.</param>
    /// <param name="path">The node.</param>
    /// <param name="offset">The offset.</param>
    /// <param name="problem">What is wrong, when it is malformed.</param>
    /// <returns>Whether it is well-formed.</returns>
    public static bool TryDecodeRequest(ReadOnlySpan<byte> payload, out ReadOnlySpan<byte> path, out uint offset, out string problem)
    {
        var reader = new XsArgumentReader(payload);
        offset = 0;
        return XsDecoding.TryString(ref reader, out path, "the path", out problem) && XsDecoding.TryNumber(ref reader, out offset, "the offset", out problem)
            && XsDecoding.AtEnd(ref reader, out problem);
    }

    /// <summary>Writes the start of the reply: the node's generation.</summary>
    /// <param name="writer">The reply being written.</param>
    /// <param name="generation">The node's generation.</param>
    /// <returns>False when it does not fit.</returns>
    public static bool TryEncodeReplyGeneration(ref XsMessageWriter writer, ulong generation) => writer.AppendUInt64(generation);

    /// <summary>Writes one name of the reply, keeping room for the end marker.</summary>
    /// <param name="writer">The reply being written.</param>
    /// <param name="name">A child's name (ASCII).</param>
    /// <returns>False when it and the end marker do not fit: the reply is complete without it.</returns>
    public static bool TryEncodeReplyName(ref XsMessageWriter writer, string name) =>
        writer.PayloadLength + name.Length + 2 <= XsHeader.PayloadMax && writer.AppendString(name);

    /// <summary>Writes the end marker: the list is complete.</summary>
    /// <param name="writer">The reply being written.</param>
    /// <returns>False when it does not fit.</returns>
    public static bool TryEncodeReplyEnd(ref XsMessageWriter writer) => writer.AppendString(""u8);

    /// <summary>Reads the reply.</summary>
    /// <param name="payload">The reply's payload.</param>
    /// <param name="generation">The node's generation, as its decimal digits.</param>
    /// <param name="names">The names in this part (without the end marker).</param>
    /// <param name="complete">Whether the end marker follows them.</param>
    /// <param name="problem">What is wrong, when it is malformed.</param>
    /// <returns>Whether it is well-formed.</returns>
    public static bool TryDecodeReply(ReadOnlySpan<byte> payload, out ReadOnlySpan<byte> generation, out XsStringList names, out bool complete, out string problem)
    {
        names = default;
        complete = false;
        var reader = new XsArgumentReader(payload);
        if (!reader.TryReadString(out generation)) return XsDecoding.Malformed(out problem, "has no generation");
        if (!Utf8Parser.TryParse(generation, out ulong _, out int used) || used != generation.Length) return XsDecoding.Malformed(out problem, "has a generation that is not a decimal number");
        var rest = reader.Remaining;
        complete = rest.Length >= 1 && rest[^1] == 0 && (rest.Length == 1 || rest[^2] == 0);
        return XsStringList.TryRead(complete ? rest[..^1] : rest, out names, out problem);
    }
}

/// <summary>The codec of <c>XS_GET_PERMS</c>: a path; the reply is the permission entries, each NUL-terminated.</summary>
public static class XsGetPermsMessage
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

    /// <summary>Writes the reply.</summary>
    /// <param name="writer">The reply being written.</param>
    /// <param name="permissions">The node's permissions.</param>
    /// <returns>False when they do not fit.</returns>
    public static bool TryEncodeReply(ref XsMessageWriter writer, XsPermissions permissions) => permissions.TryWrite(ref writer);

    /// <summary>Reads the reply.</summary>
    /// <param name="payload">The reply's payload.</param>
    /// <param name="permissions">The permissions.</param>
    /// <param name="problem">What is wrong, when it is malformed.</param>
    /// <returns>Whether it is well-formed.</returns>
    public static bool TryDecodeReply(ReadOnlySpan<byte> payload, out XsPermissions permissions, out string problem)
    {
        var reader = new XsArgumentReader(payload);
        return XsPermissions.TryRead(ref reader, out permissions) ? XsDecoding.Valid(out problem) : XsDecoding.Malformed(out problem, "is not a permission list");
    }
}

/// <summary>The codec of <c>XS_SET_PERMS</c>: a path, then the permission entries, each NUL-terminated; the reply is <c>OK</c>.</summary>
public static class XsSetPermsMessage
{
    /// <summary>Writes the request.</summary>
    /// <param name="writer">The request being written.</param>
    /// <param name="path">The node.</param>
    /// <param name="permissions">The new permissions.</param>
    /// <returns>False when it does not fit.</returns>
    public static bool TryEncodeRequest(ref XsMessageWriter writer, scoped ReadOnlySpan<byte> path, XsPermissions permissions) =>
        writer.AppendString(path) && permissions.TryWrite(ref writer);

    /// <summary>Reads the request.</summary>
    /// <param name="payload">The request's payload.</param>
    /// <param name="path">The node.</param>
    /// <param name="permissions">The new permissions.</param>
    /// <param name="problem">What is wrong, when it is malformed.</param>
    /// <returns>Whether it is well-formed.</returns>
    public static bool TryDecodeRequest(ReadOnlySpan<byte> payload, out ReadOnlySpan<byte> path, out XsPermissions permissions, out string problem)
    {
        permissions = null!;
        var reader = new XsArgumentReader(payload);
        if (!XsDecoding.TryString(ref reader, out path, "the path", out problem)) return false;
        return XsPermissions.TryRead(ref reader, out permissions) ? XsDecoding.Valid(out problem) : XsDecoding.Malformed(out problem, "has no well-formed permission list");
    }
}
