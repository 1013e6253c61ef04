using System.Buffers;

namespace Xen.XenStore.Protocol;

/// <summary>
/// A pooled buffer holding one whole frame (header and payload), rented from <see cref="ArrayPool{T}.Shared"/>
/// with room for the largest legal message. Transports queue these; the consumer returns them with <see cref="Dispose"/>.
/// </summary>
public sealed class XsMessageBuffer : IDisposable
{
    [ThreadStatic]
    private static long t_outstanding;

    private byte[]? _array;

    private XsMessageBuffer(byte[] array, int length)
    {
        _array = array;
        Length = length;
        t_outstanding++;
    }

    /// <summary>
    /// Test hook: buffers rented on this thread minus buffers returned on it. A single-threaded test reads it
    /// before and after to prove every buffer went back to the pool.
    /// </summary>
    internal static long OutstandingOnThisThread => t_outstanding;

    /// <summary>The frame's length in bytes.</summary>
    public int Length { get; private set; }

    /// <summary>The frame.</summary>
    public ReadOnlyMemory<byte> Memory => _array is null ? throw new ObjectDisposedException(nameof(XsMessageBuffer)) : _array.AsMemory(0, Length);

    /// <summary>The frame as a span.</summary>
    public ReadOnlySpan<byte> Span => Memory.Span;

    /// <summary>The header of the frame.</summary>
    public XsdSockmsg Header => XsHeader.Read(Span);

    /// <summary>The payload of the frame.</summary>
    public ReadOnlySpan<byte> Payload => Span[XsHeader.Size..];

    /// <summary>Rents an empty buffer with room for the largest frame; write it through <see cref="Space"/> and set <see cref="Commit"/>.</summary>
    /// <returns>The buffer.</returns>
    public static XsMessageBuffer Rent() => new(ArrayPool<byte>.Shared.Rent(XsHeader.FrameMax), 0);

    /// <summary>Rents an empty buffer with room for at least <paramref name="capacity"/> bytes (a frame known to be small, such as a watch event that may wait long in a queue).</summary>
    /// <param name="capacity">Bytes needed, header included; at least <see cref="XsHeader.Size"/>, at most <see cref="XsHeader.FrameMax"/>.</param>
    /// <returns>The buffer.</returns>
    public static XsMessageBuffer Rent(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, XsHeader.Size);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(capacity, XsHeader.FrameMax);
        return new(ArrayPool<byte>.Shared.Rent(capacity), 0);
    }

    /// <summary>The whole rented space (at least <see cref="XsHeader.FrameMax"/> bytes, or the capacity asked of <see cref="Rent(int)"/>), for an <see cref="XsMessageWriter"/>.</summary>
    public Span<byte> Space => _array ?? throw new ObjectDisposedException(nameof(XsMessageBuffer));

    /// <summary>Sets the frame's length after writing it into <see cref="Space"/>.</summary>
    /// <param name="length">The frame's length, as returned by <see cref="XsMessageWriter.Finish"/>.</param>
    /// <returns>This buffer.</returns>
    public XsMessageBuffer Commit(int length)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, Space.Length);
        Length = length;
        return this;
    }

    /// <summary>Rents a buffer and copies a whole frame into it.</summary>
    /// <param name="frame">Header and payload; at most <see cref="XsHeader.FrameMax"/> bytes.</param>
    /// <returns>The buffer.</returns>
    public static XsMessageBuffer CopyOf(ReadOnlySpan<byte> frame)
    {
        if (frame.Length > XsHeader.FrameMax) throw new ArgumentException("longer than the largest frame", nameof(frame));
        byte[] array = ArrayPool<byte>.Shared.Rent(XsHeader.FrameMax);
        frame.CopyTo(array);
        return new XsMessageBuffer(array, frame.Length);
    }

    /// <summary>Returns the array to the pool.</summary>
    public void Dispose()
    {
        var array = Interlocked.Exchange(ref _array, null);
        if (array is null) return;
        t_outstanding--;
        ArrayPool<byte>.Shared.Return(array);
    }
}
