using System.Net.Sockets;
using Xen.Abi.Io;
using Xen.XenStore.Protocol;

namespace XenGen.Bench.XenStored;

/// <summary>A blocking socket client sending prebuilt frames and reading whole replies (no watches here).</summary>
internal sealed class WireClient : IDisposable
{
    private readonly Socket _socket;
    private readonly byte[] _buffer = new byte[XsHeader.FrameMax];

    public WireClient(string path)
    {
        _socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        _socket.Connect(new UnixDomainSocketEndPoint(path));
    }

    public static byte[] Frame(XsdSockmsgType type, ReadOnlySpan<byte> payload)
    {
        var frame = new byte[XsHeader.Size + payload.Length];
        XsHeader.Write(frame, XsHeader.Create(type, 1, 0, payload.Length));
        payload.CopyTo(frame.AsSpan(XsHeader.Size));
        return frame;
    }

    /// <summary>Sends one request and waits for its reply; returns the reply's type.</summary>
    public uint Call(byte[] frame)
    {
        _socket.Send(frame);
        int have = 0;
        while (true)
        {
            var status = XsFrame.TryDecode(_buffer.AsSpan(0, have), out var header, out _, out int needed);
            if (status == XsFrameStatus.Complete) return header.Type;
            if (status == XsFrameStatus.PayloadTooLong) throw new InvalidOperationException("reply too long");
            int n = _socket.Receive(_buffer.AsSpan(have));
            if (n == 0) throw new IOException("the daemon closed the connection");
            have += n;
        }
    }

    public void Dispose() => _socket.Dispose();
}
