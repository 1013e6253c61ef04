namespace Xen.Rings;

/// <summary>
/// One direction of a byte ring: a power-of-two buffer with free-running 32-bit consumer and producer indices,
/// such as each half of the XenStore and console pages and each half of a flex ring. An index is masked with
/// <c>size - 1</c> only to address the buffer. The producer side calls <see cref="Write"/>, the consumer side
/// <see cref="Read"/>; a peer's index that claims more than <see cref="Size"/> bytes is refused.
/// </summary>
public readonly unsafe struct ByteRing
{
    private readonly byte* _buffer;
    private readonly uint* _consumer;
    private readonly uint* _producer;
    private readonly uint _size;

    /// <summary>Describes a ring over <paramref name="size"/> bytes at <paramref name="buffer"/> with the given index words.</summary>
    /// <exception cref="ArgumentException"><paramref name="size"/> is not a power of two.</exception>
    public ByteRing(byte* buffer, uint size, uint* consumer, uint* producer)
    {
        if (size == 0 || (size & (size - 1)) != 0) throw new ArgumentException($"byte ring size {size} is not a power of two", nameof(size));
        _buffer = buffer;
        _size = size;
        _consumer = consumer;
        _producer = producer;
    }

    /// <summary>The buffer size in bytes.</summary>
    public uint Size => _size;

    /// <summary>The consumer index as last published.</summary>
    public uint Consumer => Volatile.Read(ref *_consumer);

    /// <summary>The producer index as last published.</summary>
    public uint Producer => Volatile.Read(ref *_producer);

    /// <summary>Bytes written and not yet read.</summary>
    /// <exception cref="RingProtocolException">The indices are more than <see cref="Size"/> apart.</exception>
    public uint Queued()
    {
        uint cons = Volatile.Read(ref *_consumer);
        uint prod = Volatile.Read(ref *_producer);
        return Checked(prod, cons);
    }

    /// <summary>Bytes the producer can still write.</summary>
    /// <exception cref="RingProtocolException">The indices are more than <see cref="Size"/> apart.</exception>
    public uint Free() => _size - Queued();

    /// <summary>Producer side: copies as much of <paramref name="data"/> as fits and publishes it; returns the bytes written.</summary>
    /// <exception cref="RingProtocolException">The indices are more than <see cref="Size"/> apart.</exception>
    public int Write(ReadOnlySpan<byte> data)
    {
        uint cons = Volatile.Read(ref *_consumer);
        uint prod = *_producer;
        XenBarriers.Mb();
        uint free = _size - Checked(prod, cons);
        int n = (int)Math.Min(free, (uint)data.Length);
        if (n == 0) return 0;
        uint at = prod & (_size - 1);
        int first = (int)Math.Min((uint)n, _size - at);
        data[..first].CopyTo(new Span<byte>(_buffer + at, first));
        data[first..n].CopyTo(new Span<byte>(_buffer, n - first));
        XenBarriers.Wmb();
        Volatile.Write(ref *_producer, unchecked(prod + (uint)n));
        return n;
    }

    /// <summary>Consumer side: copies up to <paramref name="destination"/>'s length of queued bytes and frees them; returns the bytes read.</summary>
    /// <exception cref="RingProtocolException">The indices are more than <see cref="Size"/> apart.</exception>
    public int Read(Span<byte> destination)
    {
        uint cons = *_consumer;
        uint prod = Volatile.Read(ref *_producer);
        uint queued = Checked(prod, cons);
        XenBarriers.Rmb();
        int n = (int)Math.Min(queued, (uint)destination.Length);
        if (n == 0) return 0;
        uint at = cons & (_size - 1);
        int first = (int)Math.Min((uint)n, _size - at);
        new ReadOnlySpan<byte>(_buffer + at, first).CopyTo(destination);
        new ReadOnlySpan<byte>(_buffer, n - first).CopyTo(destination[first..]);
        XenBarriers.Mb();
        Volatile.Write(ref *_consumer, unchecked(cons + (uint)n));
        return n;
    }

    private uint Checked(uint prod, uint cons)
    {
        uint queued = unchecked(prod - cons);
        if (queued > _size) throw new RingProtocolException("byte ring producer", prod, cons, _size);
        return queued;
    }
}
