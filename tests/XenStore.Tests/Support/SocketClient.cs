using System.Net.Sockets;
using System.Text;

namespace Xen.XenStore.Tests.Support;

/// <summary>A raw unix socket client for tests that need to send what no real client would.</summary>
internal sealed class SocketClient : IDisposable
{
    private readonly FrameAccumulator _received = new();
    private uint _requestId;

    public SocketClient(string path)
    {
        Socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        Socket.Connect(new UnixDomainSocketEndPoint(path));
        Socket.ReceiveTimeout = 10000;
    }

    public Socket Socket { get; }

    public byte[] Frame(XsdSockmsgType type, uint tx, params object[] args) => Frames.Build(type, ++_requestId, tx, args);

    public (XsdSockmsgType Type, string Payload) Call(XsdSockmsgType type, params object[] args)
    {
        Socket.Send(Frame(type, 0, args));
        var (header, payload) = Receive();
        return ((XsdSockmsgType)header.Type, Encoding.ASCII.GetString(payload));
    }

    /// <summary>The next frame, or null when the server closed the connection.</summary>
    public (XsdSockmsg Header, byte[] Payload) Receive() => TryReceive() ?? throw new IOException("connection closed by the server");

    public (XsdSockmsg Header, byte[] Payload)? TryReceive()
    {
        var chunk = new byte[8192];
        while (true)
        {
            if (_received.TryTake(out var header, out var payload)) return (header, payload);
            int n = Socket.Receive(chunk);
            if (n == 0) return null;
            _received.Add(chunk.AsSpan(0, n));
        }
    }

    public void Dispose() => Socket.Dispose();
}
