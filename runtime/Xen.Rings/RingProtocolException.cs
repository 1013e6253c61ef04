namespace Xen.Rings;

/// <summary>
/// The peer broke the ring protocol: it published a producer index claiming more entries or bytes than the ring
/// holds. The ring's contents can no longer be trusted; the connection should be torn down.
/// </summary>
public sealed class RingProtocolException : Exception
{
    /// <summary>Creates the exception with a message naming the ring operation that detected it.</summary>
    public RingProtocolException(string message) : base(message)
    {
    }

    /// <summary>The indices seen when the violation was detected: the peer's producer and our consumer or private index.</summary>
    public RingProtocolException(string operation, uint producer, uint reference, uint size)
        : base($"{operation}: peer producer index {producer} is {unchecked(producer - reference)} past {reference}, more than the ring's {size} entries")
    {
        Producer = producer;
        Reference = reference;
        Size = size;
    }

    /// <summary>Throws the exception; kept out of line so that the checks calling it stay small enough to inline.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    internal static void Throw(string operation, uint producer, uint reference, uint size) =>
        throw new RingProtocolException(operation, producer, reference, size);

    /// <summary>The peer's producer index.</summary>
    public uint Producer { get; }

    /// <summary>The index it was compared with.</summary>
    public uint Reference { get; }

    /// <summary>The ring's size.</summary>
    public uint Size { get; }
}
