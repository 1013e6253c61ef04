namespace Xen.XenStore.Protocol;

/// <summary>The codec of <c>XS_TRANSACTION_START</c>: an empty argument (not looked at); the reply is the new transaction's id.</summary>
public static class XsTransactionStartMessage
{
    /// <summary>Writes the request: one empty string, as libxenstore sends.</summary>
    /// <param name="writer">The request being written.</param>
    /// <returns>False when it does not fit.</returns>
    public static bool TryEncodeRequest(ref XsMessageWriter writer) => writer.AppendString(""u8);

    /// <summary>Writes the reply.</summary>
    /// <param name="writer">The reply being written.</param>
    /// <param name="transactionId">The id, not 0.</param>
    /// <returns>False when it does not fit.</returns>
    public static bool TryEncodeReply(ref XsMessageWriter writer, uint transactionId) => writer.AppendUInt64(transactionId);

    /// <summary>Reads the reply: a decimal id other than 0 (its NUL may be missing).</summary>
    /// <param name="payload">The reply's payload.</param>
    /// <param name="transactionId">The id.</param>
    /// <param name="problem">What is wrong, when it is malformed.</param>
    /// <returns>Whether it is well-formed.</returns>
    public static bool TryDecodeReply(ReadOnlySpan<byte> payload, out uint transactionId, out string problem)
    {
        if (!XsArgumentReader.TryParseUInt32(XsDecoding.FirstString(payload), out transactionId)) return XsDecoding.Malformed(out problem, "is not a number");
        return transactionId != 0 ? XsDecoding.Valid(out problem) : XsDecoding.Malformed(out problem, "is transaction id 0");
    }
}

/// <summary>The codec of <c>XS_TRANSACTION_END</c> (the transaction is the header's <c>tx_id</c>): <c>T</c> to commit, <c>F</c> to abort; the reply is <c>OK</c>.</summary>
public static class XsTransactionEndMessage
{
    /// <summary>Writes the request.</summary>
    /// <param name="writer">The request being written.</param>
    /// <param name="commit">Commit (<c>T</c>) or abort (<c>F</c>).</param>
    /// <returns>False when it does not fit.</returns>
    public static bool TryEncodeRequest(ref XsMessageWriter writer, bool commit) => writer.AppendString(commit ? "T"u8 : "F"u8);

    /// <summary>Reads the request.</summary>
    /// <param name="payload">The request's payload.</param>
    /// <param name="commit">Whether it commits.</param>
    /// <param name="problem">What is wrong, when it is malformed.</param>
    /// <returns>Whether it is well-formed.</returns>
    public static bool TryDecodeRequest(ReadOnlySpan<byte> payload, out bool commit, out string problem)
    {
        var reader = new XsArgumentReader(payload);
        commit = false;
        if (!XsDecoding.TryString(ref reader, out var verdict, "the verdict", out problem)) return false;
        if (!XsDecoding.AtEnd(ref reader, out problem)) return false;
        commit = verdict.SequenceEqual("T"u8);
        return commit || verdict.SequenceEqual("F"u8) ? XsDecoding.Valid(out problem) : XsDecoding.Malformed(out problem, "has a verdict that is neither T nor F");
    }
}
