using System.Text;
using Xen.XenStore.Protocol;

namespace Xen.XenStore.Client;

/// <summary>
/// Builds request frames in pooled buffers with the protocol core's <see cref="XsMessageWriter"/>. The request id
/// is filled in when the frame is sent. A request that would not fit <c>XENSTORE_PAYLOAD_MAX</c> is refused
/// with <c>E2BIG</c> before anything is sent.
/// </summary>
internal static class XsRequestFrames
{
    /// <summary>A request whose arguments are NUL-terminated strings.</summary>
    public static XsMessageBuffer Strings(XsdSockmsgType type, uint transactionId, params ReadOnlySpan<string> arguments)
    {
        var frame = XsMessageBuffer.Rent();
        var writer = new XsMessageWriter(frame.Space, type, 0, transactionId);
        foreach (string argument in arguments)
        {
            if (!Append(ref writer, argument)) throw TooLong(frame, type);
        }
        return frame.Commit(writer.Finish());
    }

    /// <summary>An <c>XS_WRITE</c>: the path, NUL-terminated, then the value's bytes without a terminator.</summary>
    public static XsMessageBuffer Write(uint transactionId, string path, ReadOnlySpan<byte> value)
    {
        var frame = XsMessageBuffer.Rent();
        var writer = new XsMessageWriter(frame.Space, XsdSockmsgType.XsWrite, 0, transactionId);
        if (!Append(ref writer, path) || !writer.AppendBytes(value)) throw TooLong(frame, XsdSockmsgType.XsWrite);
        return frame.Commit(writer.Finish());
    }

    /// <summary>Sets the request id of a built frame.</summary>
    public static void SetRequestId(XsMessageBuffer frame, uint requestId) =>
        XsHeader.Write(frame.Space, frame.Header with { ReqId = requestId });

    private static bool Append(ref XsMessageWriter writer, string value) =>
        Ascii.IsValid(value) ? writer.AppendString(value) : writer.AppendString(Encoding.UTF8.GetBytes(value));

    private static XsErrorException TooLong(XsMessageBuffer frame, XsdSockmsgType type)
    {
        frame.Dispose();
        return XsErrorExceptions.Create(XsError.E2big, $"{XsWireNames.Of(type)}: the request is longer than XENSTORE_PAYLOAD_MAX ({XsHeader.PayloadMax} bytes)");
    }
}
