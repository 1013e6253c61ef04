using System.Net.Sockets;

namespace Xen.XenStore.Client.Tests.Support;

/// <summary>
/// A scripted peer on a unix socket, standing in for a misbehaving xenstored: the test reads the client's
/// requests and writes whatever bytes it wants back.
/// </summary>
public sealed class FakeSocketServer : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("xsc-fake-").FullName;
    private readonly Socket _listener = new(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
    private readonly Task<Socket> _accepted;
    private readonly List<byte> _pending = new();

    public FakeSocketServer()
    {
        _listener.Bind(new UnixDomainSocketEndPoint(SocketPath));
        _listener.Listen(1);
        _accepted = _listener.AcceptAsync();
        Client = new XenStoreClient(XsUnixSocketTransport.Connect(SocketPath));
    }

    public string SocketPath => Path.Combine(_directory, "socket");

    /// <summary>The client under test, connected to this peer.</summary>
    public XenStoreClient Client { get; }

    /// <summary>The next whole request the client sent.</summary>
    public async Task<(XsdSockmsg Header, byte[] Payload)> ReceiveRequestAsync()
    {
        var socket = await _accepted.WaitAsync(TimeSpan.FromSeconds(10));
        var buffer = new byte[XsHeader.FrameMax];
        while (true)
        {
            var data = _pending.ToArray();
            if (XsFrame.TryDecode(data, out var header, out var payload, out int length) == XsFrameStatus.Complete)
            {
                var request = (header, payload.ToArray());
                _pending.RemoveRange(0, length);
                return request;
            }
            int n = await socket.ReceiveAsync(buffer).WaitAsync(TimeSpan.FromSeconds(10));
            if (n == 0) throw new EndOfStreamException("the client closed the connection");
            _pending.AddRange(buffer.AsSpan(0, n));
        }
    }

    /// <summary>Sends raw bytes to the client.</summary>
    public async Task SendAsync(byte[] bytes)
    {
        var socket = await _accepted;
        await socket.SendAsync(bytes);
    }

    /// <summary>A frame: a header with the given fields and the payload's strings, each NUL-terminated.</summary>
    public static byte[] Frame(XsdSockmsgType type, uint requestId, params string[] strings)
    {
        var buffer = new byte[XsHeader.FrameMax];
        var writer = new XsMessageWriter(buffer, type, requestId, 0);
        foreach (string s in strings) Assert.True(writer.AppendString(s));
        return buffer.AsSpan(0, writer.Finish()).ToArray();
    }

    public void Dispose()
    {
        Client.Dispose();
        if (_accepted.IsCompletedSuccessfully) _accepted.Result.Dispose();
        _listener.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
