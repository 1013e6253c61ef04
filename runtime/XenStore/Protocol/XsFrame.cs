namespace Xen.XenStore.Protocol;

/// <summary>What <see cref="XsFrame.TryDecode"/> found at the start of a buffer.</summary>
public enum XsFrameStatus
{
    /// <summary>Fewer bytes than a header, or than the header's length announces: read more.</summary>
    Incomplete,

    /// <summary>A whole message.</summary>
    Complete,

    /// <summary>The header announces a payload longer than <c>XENSTORE_PAYLOAD_MAX</c>: the stream cannot be trusted and the connection must be closed.</summary>
    PayloadTooLong,
}

/// <summary>
/// Message framing of <c>io/xs_wire.h</c>: a <see cref="XsdSockmsg"/> header followed by <c>len</c> payload bytes.
/// Pure functions over spans; transports call them on their receive buffers.
/// </summary>
public static class XsFrame
{
    /// <summary>Decodes the message at the start of <paramref name="buffer"/> without copying.</summary>
    /// <param name="buffer">Received bytes, starting at a message boundary.</param>
    /// <param name="header">The header, when at least a header is present.</param>
    /// <param name="payload">The payload, when <see cref="XsFrameStatus.Complete"/>.</param>
    /// <param name="frameLength">Header plus payload length, when <see cref="XsFrameStatus.Complete"/>; else the bytes needed so far.</param>
    /// <returns>Whether a whole message is there, more is needed, or the length is illegal.</returns>
    public static XsFrameStatus TryDecode(ReadOnlySpan<byte> buffer, out XsdSockmsg header, out ReadOnlySpan<byte> payload, out int frameLength)
    {
        payload = default;
        header = default;
        frameLength = XsHeader.Size;
        if (buffer.Length < XsHeader.Size) return XsFrameStatus.Incomplete;
        header = XsHeader.Read(buffer);
        if (header.Len > (uint)XsHeader.PayloadMax) return XsFrameStatus.PayloadTooLong;
        frameLength = XsHeader.Size + (int)header.Len;
        if (buffer.Length < frameLength) return XsFrameStatus.Incomplete;
        payload = buffer.Slice(XsHeader.Size, (int)header.Len);
        return XsFrameStatus.Complete;
    }
}
