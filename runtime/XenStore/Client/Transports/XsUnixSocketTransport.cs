using System.Net.Sockets;

namespace Xen.XenStore.Client.Transports;

/// <summary>
/// The xenstored unix socket of dom0 (<c>/var/run/xenstored/socket</c>, or what <c>XENSTORED_PATH</c> names, as
/// libxenstore does). Every client of the socket is dom0.
/// </summary>
public sealed class XsUnixSocketTransport : IXsClientTransport
{
    /// <summary>The socket xenstored serves when <c>XENSTORED_PATH</c> does not name another.</summary>
    public const string DefaultPath = "/var/run/xenstored/socket";

    /// <summary>The environment variable libxenstore reads for the socket path.</summary>
    public const string PathVariable = "XENSTORED_PATH";

    private readonly Socket _socket;

    private XsUnixSocketTransport(Socket socket, string path)
    {
        _socket = socket;
        Name = path;
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public uint? DomainId => 0;

    /// <summary>The socket path a client uses: <c>XENSTORED_PATH</c> when set, else <see cref="DefaultPath"/>.</summary>
    public static string ResolvePath() =>
        Environment.GetEnvironmentVariable(PathVariable) is { Length: > 0 } path ? path : DefaultPath;

    /// <summary>Connects to the socket at <paramref name="path"/>.</summary>
    /// <param name="path">The socket; <see cref="ResolvePath"/> when null.</param>
    /// <returns>The connected transport.</returns>
    /// <exception cref="XsConnectionException">Nothing listens there.</exception>
    public static XsUnixSocketTransport Connect(string? path = null)
    {
        path ??= ResolvePath();
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            socket.Connect(new UnixDomainSocketEndPoint(path));
        }
        catch (SocketException e)
        {
            socket.Dispose();
            throw new XsConnectionException($"cannot connect to xenstored at {path}: {e.Message}", e);
        }
        return new XsUnixSocketTransport(socket, path);
    }

    /// <inheritdoc />
    public int Receive(Span<byte> buffer)
    {
        try
        {
            return _socket.Receive(buffer, SocketFlags.None);
        }
        catch (ObjectDisposedException)
        {
            return 0;
        }
        catch (SocketException e)
        {
            throw new XsConnectionException($"{Name}: receive failed: {e.Message}", e);
        }
    }

    /// <inheritdoc />
    public void Send(ReadOnlySpan<byte> data)
    {
        try
        {
            while (!data.IsEmpty) data = data[_socket.Send(data, SocketFlags.None)..];
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            throw new XsConnectionException($"{Name}: send failed: {e.Message}", e);
        }
    }

    /// <summary>Shuts the socket down (ending a blocked <see cref="Receive"/>) and closes it.</summary>
    public void Dispose()
    {
        try { _socket.Shutdown(SocketShutdown.Both); } catch (Exception e) when (e is SocketException or ObjectDisposedException) { }
        _socket.Dispose();
    }
}
