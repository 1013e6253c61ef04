namespace Xen.XenStore.Protocol;

/// <summary>The reply <c>OK</c> of the messages that only confirm (<c>XS_WRITE</c>, <c>XS_MKDIR</c>, <c>XS_WATCH</c>, ...).</summary>
public static class XsOkReply
{
    /// <summary>Writes <c>OK</c> and its NUL.</summary>
    /// <param name="writer">The reply being written.</param>
    /// <returns>False when it does not fit.</returns>
    public static bool TryEncode(ref XsMessageWriter writer) => writer.AppendString("OK"u8);

    /// <summary>Checks a reply says <c>OK</c> (with or without its NUL, as servers differ).</summary>
    /// <param name="payload">The reply's payload.</param>
    /// <param name="problem">What is wrong, when it is not.</param>
    /// <returns>Whether it is <c>OK</c>.</returns>
    public static bool TryDecode(ReadOnlySpan<byte> payload, out string problem) =>
        payload.SequenceEqual("OK\0"u8) || payload.SequenceEqual("OK"u8) ? XsDecoding.Valid(out problem) : XsDecoding.Malformed(out problem, "is not OK");
}
