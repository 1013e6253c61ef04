using System.Buffers.Text;

namespace Xen.XenStore.Protocol;

/// <summary>
/// Writes one message into a caller's buffer (normally a pooled one of <see cref="XsHeader.FrameMax"/> bytes):
/// the header, then arguments, then <see cref="Finish"/> sets the header's length. An append that would take the
/// payload past <c>XENSTORE_PAYLOAD_MAX</c> returns false and leaves the message unchanged.
/// </summary>
public ref struct XsMessageWriter
{
    private readonly Span<byte> _buffer;
    private readonly XsdSockmsgType _type;
    private readonly uint _requestId;
    private readonly uint _transactionId;
    private int _length;

    /// <summary>Starts a message of <paramref name="type"/> in <paramref name="buffer"/>.</summary>
    /// <param name="buffer">At least <see cref="XsHeader.Size"/> bytes; the payload is limited by its length and by <c>XENSTORE_PAYLOAD_MAX</c>.</param>
    /// <param name="type">The message type.</param>
    /// <param name="requestId">The request id (echoed from the request in a reply).</param>
    /// <param name="transactionId">The transaction id.</param>
    public XsMessageWriter(Span<byte> buffer, XsdSockmsgType type, uint requestId, uint transactionId)
    {
        if (buffer.Length < XsHeader.Size) throw new ArgumentException("the buffer cannot hold a header", nameof(buffer));
        _buffer = buffer[..Math.Min(buffer.Length, XsHeader.FrameMax)];
        _type = type;
        _requestId = requestId;
        _transactionId = transactionId;
        _length = 0;
    }

    /// <summary>The payload bytes written so far.</summary>
    public readonly int PayloadLength => _length;

    /// <summary>Appends <paramref name="value"/> and a NUL.</summary>
    /// <param name="value">The string's bytes; must not contain a NUL.</param>
    /// <returns>False when it does not fit.</returns>
    public bool AppendString(scoped ReadOnlySpan<byte> value)
    {
        if (!Fits(value.Length + 1)) return false;
        AppendRaw(value);
        _buffer[XsHeader.Size + _length++] = 0;
        return true;
    }

    /// <summary>Appends <paramref name="value"/> as ASCII and a NUL.</summary>
    /// <param name="value">The string; ASCII without NULs (paths, tokens, numbers, error names).</param>
    /// <returns>False when it does not fit.</returns>
    public bool AppendString(string value)
    {
        if (!Fits(value.Length + 1)) return false;
        var at = _buffer.Slice(XsHeader.Size + _length, value.Length);
        for (int i = 0; i < value.Length; i++) at[i] = (byte)value[i];
        _length += value.Length;
        _buffer[XsHeader.Size + _length++] = 0;
        return true;
    }

    /// <summary>Appends an unsigned decimal number and a NUL.</summary>
    /// <param name="value">The number.</param>
    /// <returns>False when it does not fit.</returns>
    public bool AppendUInt64(ulong value)
    {
        Span<byte> digits = stackalloc byte[20];
        Utf8Formatter.TryFormat(value, digits, out int written);
        return AppendString(digits[..written]);
    }

    /// <summary>Appends binary data without a terminator (a value).</summary>
    /// <param name="data">The bytes.</param>
    /// <returns>False when they do not fit.</returns>
    public bool AppendBytes(scoped ReadOnlySpan<byte> data)
    {
        if (!Fits(data.Length)) return false;
        AppendRaw(data);
        return true;
    }

    /// <summary>Writes the header with the final length.</summary>
    /// <returns>The frame's length: header plus payload.</returns>
    public readonly int Finish()
    {
        XsHeader.Write(_buffer, XsHeader.Create(_type, _requestId, _transactionId, _length));
        return XsHeader.Size + _length;
    }

    private readonly bool Fits(int count) => XsHeader.Size + _length + count <= _buffer.Length;

    private void AppendRaw(scoped ReadOnlySpan<byte> data)
    {
        data.CopyTo(_buffer[(XsHeader.Size + _length)..]);
        _length += data.Length;
    }
}
