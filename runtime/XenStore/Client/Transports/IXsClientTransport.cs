namespace Xen.XenStore.Client.Transports;

/// <summary>
/// A byte stream to a XenStore server carrying xs_wire frames both ways: the unix socket, the
/// <c>/dev/xen/xenbus</c> device, or a shared ring page. <see cref="XenStoreClient"/> frames and multiplexes;
/// the transport only moves bytes. <see cref="Receive"/> is called from one thread, <see cref="Send"/> from
/// one thread at a time; <see cref="IDisposable.Dispose"/> ends a blocked <see cref="Receive"/>.
/// </summary>
public interface IXsClientTransport : IDisposable
{
    /// <summary>What the transport is connected to, for messages (a socket path, a device, a ring page).</summary>
    string Name { get; }

    /// <summary>The caller's domain when the transport implies it (0 for the dom0 socket); null when unknown.</summary>
    uint? DomainId { get; }

    /// <summary>What <see cref="Receive"/> returns when the stream restarted at a message boundary (a ring reconnection): bytes received before it are void.</summary>
    const int Restarted = -1;

    /// <summary>Blocks until bytes arrive and copies them into <paramref name="buffer"/>.</summary>
    /// <param name="buffer">Where to put them.</param>
    /// <returns>The number of bytes; 0 when the server closed the stream or the transport was disposed; <see cref="Restarted"/> when the stream restarted.</returns>
    /// <exception cref="XsConnectionException">The transport failed (an <see cref="XsProtocolException"/> when the peer broke the ring protocol).</exception>
    int Receive(Span<byte> buffer);

    /// <summary>Writes all of <paramref name="data"/>, blocking while the server does not take it.</summary>
    /// <param name="data">Whole frames.</param>
    /// <exception cref="XsConnectionException">The transport failed or is closed.</exception>
    void Send(ReadOnlySpan<byte> data);
}
