using System.Net.Sockets;
using Xen.XenStore.Server;

namespace Xen.XenStore.Server.Transport;

/// <summary>
/// Serves a <see cref="XenStoreServer"/> on a unix stream socket, as xenstored does at
/// <c>/var/run/xenstored/socket</c>. Every client of the socket is dom0 (privileged). Each client gets its own
/// read and write loops; a client that breaks framing is disconnected without disturbing the others.
/// </summary>
public sealed class XsUnixSocketServer : IAsyncDisposable
{
    private readonly XenStoreServer _server;
    private readonly Socket _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<XsSocketConnection> _clients = new();
    private Task? _acceptLoop;

    /// <summary>Binds <paramref name="path"/> (replacing a stale socket file) and starts listening.</summary>
    /// <param name="server">The server to serve.</param>
    /// <param name="path">The socket's file name.</param>
    public XsUnixSocketServer(XenStoreServer server, string path)
    {
        _server = server;
        Path = path;
        if (File.Exists(path)) File.Delete(path);
        string? directory = System.IO.Path.GetDirectoryName(path);
        if (!string.IsNullOrEmpty(directory)) System.IO.Directory.CreateDirectory(directory);
        _listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        _listener.Bind(new UnixDomainSocketEndPoint(path));
        _listener.Listen(64);
    }

    /// <summary>The socket's file name.</summary>
    public string Path { get; }

    /// <summary>Starts accepting clients.</summary>
    public void Start() => _acceptLoop ??= AcceptLoopAsync();

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            var client = new XsSocketConnection(_server, socket, Forget);
            lock (_clients) _clients.Add(client);
            client.Start();
        }
    }

    private void Forget(XsSocketConnection client)
    {
        lock (_clients) _clients.Remove(client);
    }

    /// <summary>Stops listening, closes every client and removes the socket file.</summary>
    /// <returns>A task completing when all loops ended.</returns>
    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Dispose();
        if (_acceptLoop is not null) await _acceptLoop.ConfigureAwait(false);
        XsSocketConnection[] clients;
        lock (_clients) clients = _clients.ToArray();
        foreach (var client in clients) await client.DisposeAsync().ConfigureAwait(false);
        try { File.Delete(Path); } catch (IOException) { }
        _stop.Dispose();
    }
}
