using System.Text;
using Xen.XenStore.Fuzz;
using Xen.XenStore.Server.Transport;

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
    private readonly FrameAccumulator _received = new();
    private uint _requestId;

    public RingGuest(XenStoreServer server, uint domainId, bool pageAtEnd = false)
        : this(pageAtEnd)
    {
        Attach(new XsRingServerConnection(server, domainId, Page, NotifyGuest));
    }

    /// <summary>A page with no server end yet: see <see cref="Attach"/>.</summary>
    public RingGuest(bool pageAtEnd) => _memory = new GuardedPage(pageAtEnd);

    /// <summary>What the server end calls to signal the guest's event channel.</summary>
    public void NotifyGuest() => _notified.Release();

    /// <summary>Connects the server end made for this page (by a domain connector, say).</summary>
    public void Attach(XsRingServerConnection server) => Server = server;

    public XenstoreDomainInterface* Page => _memory.Page;

    public XsRingServerConnection Server { get; private set; } = null!;

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
        SendRaw(Frames.Build(type, ++_requestId, tx, args));
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
            if (_received.TryTake(out var header, out var payload)) return (header, payload);
            int read = ring.Read(chunk);
            if (read > 0)
            {
                _received.Add(chunk.AsSpan(0, read));
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
        var parts = Frames.Strings(payload);
        Events.Add((parts[0], parts[1]));
    }

    public void Dispose()
    {
        Server?.Dispose();
        _memory.Dispose();
        _notified.Dispose();
    }
}
