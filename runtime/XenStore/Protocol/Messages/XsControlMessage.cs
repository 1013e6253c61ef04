namespace Xen.XenStore.Protocol;

/// <summary>The codec of <c>XS_CONTROL</c>: a command and its arguments, each NUL-terminated; the reply is text, NUL-terminated.</summary>
public static class XsControlMessage
{
    /// <summary>Writes one string of the request: the command first, then each argument.</summary>
    /// <param name="writer">The request being written.</param>
    /// <param name="argument">The command or an argument (no NUL inside).</param>
    /// <returns>False when it does not fit.</returns>
    public static bool TryEncodeRequestArgument(ref XsMessageWriter writer, scoped ReadOnlySpan<byte> argument) => writer.AppendString(argument);

    /// <summary>Reads the request.</summary>
    /// <param name="payload">The request's payload.</param>
    /// <param name="command">The command.</param>
    /// <param name="arguments">What follows it (NUL-terminated strings, not checked).</param>
    /// <param name="problem">What is wrong, when it is malformed.</param>
    /// <returns>Whether it is well-formed.</returns>
    public static bool TryDecodeRequest(ReadOnlySpan<byte> payload, out ReadOnlySpan<byte> command, out ReadOnlySpan<byte> arguments, out string problem)
    {
        var reader = new XsArgumentReader(payload);
        bool valid = XsDecoding.TryString(ref reader, out command, "the command", out problem);
        arguments = reader.Remaining;
        return valid;
    }

    /// <summary>Writes the reply.</summary>
    /// <param name="writer">The reply being written.</param>
    /// <param name="text">The command's output (no NUL inside).</param>
    /// <returns>False when it does not fit.</returns>
    public static bool TryEncodeReply(ref XsMessageWriter writer, scoped ReadOnlySpan<byte> text) => writer.AppendString(text);

    /// <summary>Reads the reply: the text up to its NUL (which a server may leave out).</summary>
    /// <param name="payload">The reply's payload.</param>
    /// <returns>The text.</returns>
    public static ReadOnlySpan<byte> DecodeReply(ReadOnlySpan<byte> payload) => XsDecoding.FirstString(payload);
}
