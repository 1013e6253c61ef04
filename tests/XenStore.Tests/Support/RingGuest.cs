using System.Text;
using Xen.XenStore.Fuzz;
using Xen.XenStore.Transport;

namespace Xen.XenStore.Tests.Support;

/// <summary>
/// The guest's end of a store page in the same process, for tests: writes requests into <c>req</c>, reads
/// replies and events from <c>rsp</c>, and "signals the event channel" by calling the server connection's
/// <see cref="XsRingServerConnection.Notify"/>. The server's notification releases <see cref="_notified"/>.
/// </summary>
internal sealed unsafe class RingGuest : IDisposable
{
    private readonly GuardedPage _memory;
    private readonly SemaphoreSlim _notified = new(0);
    private readonly List<byte> _received = new();
    private uint _requestId;

    public RingGuest(XenStoreServer server, uint domainId, bool pageAtEnd = false)
    {
        _memory = new GuardedPage(pageAtEnd);
        Server = new XsRingServerConnection(server, domainId, Page, () => _notified.Release());
    }

    public XenstoreDomainInterface* Page => _memory.Page;

    public XsRingServerConnection Server { get; }

    public List<(string Path, string Token)> Events { get; } = new();

    /// <summary>Writes bytes into the request ring, signalling the server whenever the ring is full.</summary>
    public void SendRaw(ReadOnlySpan<byte> bytes)
    {
        var ring = XenstoreDomainInterfaceRing.Req(Page);
        while (!bytes.IsEmpty)
        {
            int written = ring.Write(bytes);
            bytes = bytes[written..];
            Server.Notify();
            if (written == 0 && Server.IsClosed) return;
        }
    }

    public (XsdSockmsgType Type, string Payload) Call(XsdSockmsgType type, uint tx, params object[] args)
    {
        var buffer = new byte[XsHeader.FrameMax];
        var writer = new XsMessageWriter(buffer, type, ++_requestId, tx);
        foreach (var arg in args)
        {
            if (arg is string s) writer.AppendString(Encoding.ASCII.GetBytes(s));
            else writer.AppendBytes((byte[])arg);
        }
        SendRaw(buffer.AsSpan(0, writer.Finish()));
        while (true)
        {
            var (header, payload) = Receive(TimeSpan.FromSeconds(10));
            if (header.Type == (uint)XsdSockmsgType.XsWatchEvent)
            {
                AddEvent(payload);
                continue;
            }
            Assert.Equal(_requestId, header.ReqId);
            return ((XsdSockmsgType)header.Type, Encoding.ASCII.GetString(payload));
        }
    }

    /// <summary>Waits for the next event.</summary>
    public (string Path, string Token) NextEvent(TimeSpan timeout)
    {
        while (Events.Count == 0)
        {
            var (header, payload) = Receive(timeout);
            Assert.Equal((uint)XsdSockmsgType.XsWatchEvent, header.Type);
            AddEvent(payload);
        }
        var first = Events[0];
        Events.RemoveAt(0);
        return first;
    }

    /// <summary>Reads one whole frame from the response ring, waiting for the server's notifications.</summary>
    public (XsdSockmsg Header, byte[] Payload) Receive(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        var ring = XenstoreDomainInterfaceRing.Rsp(Page);
        var chunk = new byte[XsRingChunk];
        while (true)
        {
            var status = XsFrame.TryDecode(_received.ToArray(), out var header, out var payload, out int length);
            Assert.NotEqual(XsFrameStatus.PayloadTooLong, status);
            if (status == XsFrameStatus.Complete)
            {
                var result = (header, payload.ToArray());
                _received.RemoveRange(0, length);
                return result;
            }
            int read = ring.Read(chunk);
            if (read > 0)
            {
                _received.AddRange(chunk.AsSpan(0, read).ToArray());
                Server.Notify(); // we freed room: the server may have more to write
                continue;
            }
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero) throw new TimeoutException("no reply on the ring");
            _notified.Wait(left);
        }
    }

    private const int XsRingChunk = 256;

    private void AddEvent(byte[] payload)
    {
        var parts = DirectClient.Strings(payload);
        Events.Add((parts[0], parts[1]));
    }

    public void Dispose()
    {
        Server.Dispose();
        _memory.Dispose();
        _notified.Dispose();
    }
}
