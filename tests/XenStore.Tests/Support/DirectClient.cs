using System.Text;

namespace Xen.XenStore.Tests.Support;

/// <summary>
/// A client that talks to a <see cref="XenStoreServer"/> in process: it encodes requests with the protocol core,
/// calls <see cref="XenStoreServer.Process"/>, and decodes what the connection queued. Watch events are kept
/// in <see cref="Events"/> in arrival order.
/// </summary>
internal sealed class DirectClient
{
    private readonly XenStoreServer _server;
    private uint _requestId;

    public DirectClient(XenStoreServer server, uint domainId)
    {
        _server = server;
        Connection = server.Connect(domainId, $"test client of domain {domainId}", () => { });
    }

    public XsConnection Connection { get; }

    public List<(string Path, string Token)> Events { get; } = new();

    /// <summary>Sends a raw frame (as built by the caller) and returns the reply frame's type and payload.</summary>
    public (XsdSockmsgType Type, byte[] Payload, XsdSockmsg Header) SendFrame(ReadOnlySpan<byte> frame)
    {
        var status = XsFrame.TryDecode(frame, out var header, out var payload, out _);
        Assert.Equal(XsFrameStatus.Complete, status);
        _server.Process(Connection, header, payload);
        return TakeReply();
    }

    public (XsdSockmsgType Type, byte[] Payload, XsdSockmsg Header) Send(XsdSockmsgType type, uint transactionId, params object[] args)
    {
        var frame = Frames.Build(type, ++_requestId, transactionId, args);
        var reply = SendFrame(frame);
        Assert.Equal(_requestId, reply.Header.ReqId);
        Assert.Equal(transactionId, reply.Header.TxId);
        return reply;
    }

    /// <summary>Sends and returns the payload, throwing <see cref="XsErrorException"/> for an error reply.</summary>
    public byte[] Call(XsdSockmsgType type, uint transactionId, params object[] args)
    {
        var (replyType, payload, _) = Send(type, transactionId, args);
        if (replyType == XsdSockmsgType.XsError)
        {
            string name = Encoding.ASCII.GetString(payload).TrimEnd('\0');
            Assert.True(XsError.TryFromName(name, out var error), $"unknown error name {name}");
            throw new XsErrorException(error, type.ToString());
        }
        Assert.Equal(type, replyType);
        return payload;
    }

    /// <summary>The error a request fails with, or null if it succeeds.</summary>
    public string? ErrorOf(XsdSockmsgType type, uint transactionId, params object[] args)
    {
        try
        {
            Call(type, transactionId, args);
            return null;
        }
        catch (XsErrorException e)
        {
            return e.Error.Name;
        }
    }

    public string Read(string path, uint tx = 0) => Encoding.ASCII.GetString(Call(XsdSockmsgType.XsRead, tx, path));

    public void Write(string path, string value, uint tx = 0) => Call(XsdSockmsgType.XsWrite, tx, path, Encoding.ASCII.GetBytes(value));

    public void Mkdir(string path, uint tx = 0) => Call(XsdSockmsgType.XsMkdir, tx, path);

    public void Rm(string path, uint tx = 0) => Call(XsdSockmsgType.XsRm, tx, path);

    public string[] Directory(string path, uint tx = 0) => Strings(Call(XsdSockmsgType.XsDirectory, tx, path));

    public string[] GetPerms(string path) => Strings(Call(XsdSockmsgType.XsGetPerms, 0, path));

    public void SetPerms(string path, params string[] perms) => Call(XsdSockmsgType.XsSetPerms, 0, [path, .. perms]);

    public void Watch(string path, string token) => Call(XsdSockmsgType.XsWatch, 0, path, token);

    public void Unwatch(string path, string token) => Call(XsdSockmsgType.XsUnwatch, 0, path, token);

    public uint Start() => uint.Parse(Strings(Call(XsdSockmsgType.XsTransactionStart, 0, ""))[0]);

    public void End(uint tx, bool commit) => Call(XsdSockmsgType.XsTransactionEnd, tx, commit ? "T" : "F");

    /// <summary>Takes the queued events (and checks nothing else is queued).</summary>
    public List<(string Path, string Token)> TakeEvents()
    {
        Drain();
        var events = Events.ToList();
        Events.Clear();
        return events;
    }

    public static string[] Strings(byte[] payload) => Frames.Strings(payload);

    private (XsdSockmsgType, byte[], XsdSockmsg) TakeReply()
    {
        (XsdSockmsgType, byte[], XsdSockmsg)? reply = null;
        while (Connection.TryDequeue(out var frame))
        {
            using (frame)
            {
                var header = frame.Header;
                var payload = frame.Payload.ToArray();
                if (header.Type == (uint)XsdSockmsgType.XsWatchEvent) AddEvent(header, payload);
                else
                {
                    Assert.Null(reply);
                    reply = ((XsdSockmsgType)header.Type, payload, header);
                }
            }
        }
        Assert.True(reply.HasValue, "no reply");
        return reply.Value;
    }

    private void Drain()
    {
        while (Connection.TryDequeue(out var frame))
        {
            using (frame)
            {
                Assert.Equal((uint)XsdSockmsgType.XsWatchEvent, frame.Header.Type);
                AddEvent(frame.Header, frame.Payload.ToArray());
            }
        }
    }

    private void AddEvent(XsdSockmsg header, byte[] payload)
    {
        Assert.Equal(0u, header.ReqId);
        Assert.Equal(0u, header.TxId);
        var parts = Strings(payload);
        Assert.Equal(2, parts.Length);
        Events.Add((parts[0], parts[1]));
    }
}
