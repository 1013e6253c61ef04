using System.Buffers;

namespace Xen.XenStore.Protocol;

/// <summary>
/// Reassembles whole frames from a byte stream or a ring that delivers them in pieces: the one receive buffer of
/// every XenStore transport, client and server. Bytes are received into <see cref="FreeSpace"/> (a stream: take
/// what comes) or <see cref="MissingSpace"/> (a ring under back-pressure: never take a byte of the next message)
/// and committed with <see cref="Advance"/>; <see cref="TryTake"/> cuts off the first frame, checking the header's
/// length against <c>XENSTORE_PAYLOAD_MAX</c> before any payload is awaited. The buffer is pooled and returned by
/// <see cref="Dispose"/>. Not thread-safe: one receiving thread owns it.
/// </summary>
public sealed class XsFrameAssembler : IDisposable
{
    private byte[]? _buffer;
    private int _start;
    private int _end;

    /// <summary>Rents a buffer of <paramref name="capacity"/> bytes, at least <see cref="XsHeader.FrameMax"/>.</summary>
    /// <param name="capacity">How much one receive may take; larger means fewer receives on a busy stream.</param>
    public XsFrameAssembler(int capacity = 0)
    {
        _buffer = ArrayPool<byte>.Shared.Rent(Math.Max(capacity, XsHeader.FrameMax));
    }

    /// <summary>Bytes received and not taken as frames yet (a partial message, when <see cref="TryTake"/> said <see cref="XsFrameStatus.Incomplete"/>).</summary>
    public int Buffered => _end - _start;

    /// <summary>
    /// Where to receive as much as fits. Empty only when a whole frame is buffered and not taken yet: take the frames
    /// before receiving more. Makes the spans given by <see cref="TryTake"/> invalid.
    /// </summary>
    public Span<byte> FreeSpace
    {
        get
        {
            Compact();
            return Buffer.AsSpan(_end);
        }
    }

    /// <summary>
    /// Exactly the bytes missing for the first frame: the rest of its header, then the rest of its payload. Empty
    /// when a whole frame (or a header announcing an illegal length) is buffered. Makes the spans given by
    /// <see cref="TryTake"/> invalid.
    /// </summary>
    public Span<byte> MissingSpace
    {
        get
        {
            Compact();
            var status = XsFrame.TryDecode(Buffer.AsSpan(0, _end), out _, out _, out int needed);
            return status == XsFrameStatus.Incomplete ? Buffer.AsSpan(_end, needed - _end) : Span<byte>.Empty;
        }
    }

    /// <summary>Commits <paramref name="count"/> bytes written at the start of <see cref="FreeSpace"/> or <see cref="MissingSpace"/>.</summary>
    /// <param name="count">The bytes received.</param>
    public void Advance(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, Buffer.Length - _end);
        _end += count;
    }

    /// <summary>Takes the first buffered frame.</summary>
    /// <param name="header">Its header, when at least a header is buffered.</param>
    /// <param name="payload">Its payload, when <see cref="XsFrameStatus.Complete"/>.</param>
    /// <param name="frame">Header and payload, when <see cref="XsFrameStatus.Complete"/>.</param>
    /// <returns>
    /// <see cref="XsFrameStatus.Complete"/> (the frame is taken; the spans stay valid until the next receive),
    /// <see cref="XsFrameStatus.Incomplete"/> (receive more), or <see cref="XsFrameStatus.PayloadTooLong"/> (the
    /// header announces more than <c>XENSTORE_PAYLOAD_MAX</c>: the stream cannot be trusted any more).
    /// </returns>
    public XsFrameStatus TryTake(out XsdSockmsg header, out ReadOnlySpan<byte> payload, out ReadOnlySpan<byte> frame)
    {
        var buffered = Buffer.AsSpan(_start, _end - _start);
        var status = XsFrame.TryDecode(buffered, out header, out payload, out int length);
        if (status != XsFrameStatus.Complete)
        {
            frame = default;
            return status;
        }
        frame = buffered[..length];
        _start += length;
        return status;
    }

    /// <summary>Drops everything buffered (the stream restarted at a message boundary: a ring reconnection).</summary>
    public void Reset() => _start = _end = 0;

    /// <summary>Returns the buffer to the pool.</summary>
    public void Dispose()
    {
        var buffer = Interlocked.Exchange(ref _buffer, null);
        if (buffer is not null) ArrayPool<byte>.Shared.Return(buffer);
    }

    private byte[] Buffer => _buffer ?? throw new ObjectDisposedException(nameof(XsFrameAssembler));

    private void Compact()
    {
        if (_start == 0) return;
        Buffer.AsSpan(_start, _end - _start).CopyTo(Buffer);
        _end -= _start;
        _start = 0;
    }
}
