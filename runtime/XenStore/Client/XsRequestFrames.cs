using System.Text;
using Xen.XenStore.Protocol;

namespace Xen.XenStore.Client;

/// <summary>
/// Builds each request of the client in a pooled buffer with the protocol core's codec for its message type. The
/// request id is filled in when the frame is sent. A request that would not fit <c>XENSTORE_PAYLOAD_MAX</c> is
/// refused with <c>E2BIG</c> before anything is sent.
/// </summary>
internal static class XsRequestFrames
{
    private const int ScratchBytes = 256;

    /// <summary>A request naming one node: <c>XS_READ</c>, <c>XS_MKDIR</c>, <c>XS_RM</c>, <c>XS_DIRECTORY</c>, <c>XS_GET_PERMS</c>.</summary>
    public static XsMessageBuffer Path(XsdSockmsgType type, uint transactionId, string path)
    {
        var frame = Begin(type, transactionId, out var writer);
        var bytes = Utf8(path, stackalloc byte[ScratchBytes]);
        bool fits = type switch
        {
            XsdSockmsgType.XsRead => XsReadMessage.TryEncodeRequest(ref writer, bytes),
            XsdSockmsgType.XsMkdir => XsMkdirMessage.TryEncodeRequest(ref writer, bytes),
            XsdSockmsgType.XsRm => XsRmMessage.TryEncodeRequest(ref writer, bytes),
            XsdSockmsgType.XsDirectory => XsDirectoryMessage.TryEncodeRequest(ref writer, bytes),
            XsdSockmsgType.XsGetPerms => XsGetPermsMessage.TryEncodeRequest(ref writer, bytes),
            _ => throw new ArgumentOutOfRangeException(nameof(type), type, "not a request naming only a node"),
        };
        return End(frame, ref writer, fits);
    }

    /// <summary><c>XS_WRITE</c>.</summary>
    public static XsMessageBuffer Write(uint transactionId, string path, ReadOnlySpan<byte> value)
    {
        var frame = Begin(XsdSockmsgType.XsWrite, transactionId, out var writer);
        return End(frame, ref writer, XsWriteMessage.TryEncodeRequest(ref writer, Utf8(path, stackalloc byte[ScratchBytes]), value));
    }

    /// <summary><c>XS_DIRECTORY_PART</c>.</summary>
    public static XsMessageBuffer DirectoryPart(uint transactionId, string path, uint offset)
    {
        var frame = Begin(XsdSockmsgType.XsDirectoryPart, transactionId, out var writer);
        return End(frame, ref writer, XsDirectoryPartMessage.TryEncodeRequest(ref writer, Utf8(path, stackalloc byte[ScratchBytes]), offset));
    }

    /// <summary><c>XS_SET_PERMS</c>.</summary>
    public static XsMessageBuffer SetPerms(uint transactionId, string path, XsPermissions permissions)
    {
        var frame = Begin(XsdSockmsgType.XsSetPerms, transactionId, out var writer);
        return End(frame, ref writer, XsSetPermsMessage.TryEncodeRequest(ref writer, Utf8(path, stackalloc byte[ScratchBytes]), permissions));
    }

    /// <summary><c>XS_WATCH</c> or <c>XS_UNWATCH</c>.</summary>
    public static XsMessageBuffer Watch(bool register, string path, string token)
    {
        var frame = Begin(register ? XsdSockmsgType.XsWatch : XsdSockmsgType.XsUnwatch, 0, out var writer);
        var pathBytes = Utf8(path, stackalloc byte[ScratchBytes]);
        var tokenBytes = Utf8(token, stackalloc byte[ScratchBytes]);
        bool fits = register
            ? XsWatchMessage.TryEncodeRequest(ref writer, pathBytes, tokenBytes)
            : XsUnwatchMessage.TryEncodeRequest(ref writer, pathBytes, tokenBytes);
        return End(frame, ref writer, fits);
    }

    /// <summary><c>XS_RESET_WATCHES</c>.</summary>
    public static XsMessageBuffer ResetWatches()
    {
        var frame = Begin(XsdSockmsgType.XsResetWatches, 0, out var writer);
        return End(frame, ref writer, XsResetWatchesMessage.TryEncodeRequest(ref writer));
    }

    /// <summary><c>XS_TRANSACTION_START</c>.</summary>
    public static XsMessageBuffer TransactionStart()
    {
        var frame = Begin(XsdSockmsgType.XsTransactionStart, 0, out var writer);
        return End(frame, ref writer, XsTransactionStartMessage.TryEncodeRequest(ref writer));
    }

    /// <summary><c>XS_TRANSACTION_END</c> of transaction <paramref name="transactionId"/>.</summary>
    public static XsMessageBuffer TransactionEnd(uint transactionId, bool commit)
    {
        var frame = Begin(XsdSockmsgType.XsTransactionEnd, transactionId, out var writer);
        return End(frame, ref writer, XsTransactionEndMessage.TryEncodeRequest(ref writer, commit));
    }

    /// <summary>A request naming one domain: <c>XS_RELEASE</c>, <c>XS_RESUME</c>, <c>XS_GET_DOMAIN_PATH</c>, <c>XS_IS_DOMAIN_INTRODUCED</c>.</summary>
    public static XsMessageBuffer Domain(XsdSockmsgType type, uint domainId)
    {
        var frame = Begin(type, 0, out var writer);
        bool fits = type switch
        {
            XsdSockmsgType.XsRelease => XsReleaseMessage.TryEncodeRequest(ref writer, domainId),
            XsdSockmsgType.XsResume => XsResumeMessage.TryEncodeRequest(ref writer, domainId),
            XsdSockmsgType.XsGetDomainPath => XsGetDomainPathMessage.TryEncodeRequest(ref writer, domainId),
            XsdSockmsgType.XsIsDomainIntroduced => XsIsDomainIntroducedMessage.TryEncodeRequest(ref writer, domainId),
            _ => throw new ArgumentOutOfRangeException(nameof(type), type, "not a request naming only a domain"),
        };
        return End(frame, ref writer, fits);
    }

    /// <summary><c>XS_INTRODUCE</c>.</summary>
    public static XsMessageBuffer Introduce(uint domainId, ulong frameNumber, uint port)
    {
        var frame = Begin(XsdSockmsgType.XsIntroduce, 0, out var writer);
        return End(frame, ref writer, XsIntroduceMessage.TryEncodeRequest(ref writer, domainId, frameNumber, port));
    }

    /// <summary><c>XS_SET_TARGET</c>.</summary>
    public static XsMessageBuffer SetTarget(uint domainId, uint targetId)
    {
        var frame = Begin(XsdSockmsgType.XsSetTarget, 0, out var writer);
        return End(frame, ref writer, XsSetTargetMessage.TryEncodeRequest(ref writer, domainId, targetId));
    }

    /// <summary><c>XS_CONTROL</c>: the command, then its arguments.</summary>
    public static XsMessageBuffer Control(IReadOnlyList<string> arguments)
    {
        var frame = Begin(XsdSockmsgType.XsControl, 0, out var writer);
        bool fits = true;
        foreach (string argument in arguments) fits = fits && XsControlMessage.TryEncodeRequestArgument(ref writer, Encoding.UTF8.GetBytes(argument));
        return End(frame, ref writer, fits);
    }

    /// <summary>Sets the request id of a built frame.</summary>
    public static void SetRequestId(XsMessageBuffer frame, uint requestId) =>
        XsHeader.Write(frame.Space, frame.Header with { ReqId = requestId });

    private static XsMessageBuffer Begin(XsdSockmsgType type, uint transactionId, out XsMessageWriter writer)
    {
        var frame = XsMessageBuffer.Rent();
        writer = new XsMessageWriter(frame.Space, type, 0, transactionId);
        return frame;
    }

    private static XsMessageBuffer End(XsMessageBuffer frame, ref XsMessageWriter writer, bool fits)
    {
        int length = writer.Finish();
        if (fits) return frame.Commit(length);
        var type = (XsdSockmsgType)XsHeader.Read(frame.Space).Type;
        frame.Dispose();
        throw XsErrorExceptions.Create(XsError.E2big, $"{XsWireNames.Of(type)}: the request is longer than XENSTORE_PAYLOAD_MAX ({XsHeader.PayloadMax} bytes)");
    }

    /// <summary>The string's UTF-8 bytes: in <paramref name="scratch"/> when it is short ASCII (paths, tokens), else a new array.</summary>
    private static ReadOnlySpan<byte> Utf8(string value, Span<byte> scratch) =>
        value.Length <= scratch.Length && Ascii.FromUtf16(value, scratch, out int written) == System.Buffers.OperationStatus.Done
            ? scratch[..written]
            : Encoding.UTF8.GetBytes(value);
}
