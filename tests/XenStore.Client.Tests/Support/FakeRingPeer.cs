using System.Runtime.InteropServices;
using Xen.Rings;

namespace Xen.XenStore.Client.Tests.Support;

/// <summary>
/// A store page in memory whose server end is the test itself: it reads requests from the <c>req</c> ring and
/// writes whatever it likes (good replies, corrupt indices, oversized headers) into the <c>rsp</c> ring.
/// </summary>
public sealed class FakeRingPeer : IDisposable
{
    private readonly SemaphoreSlim _signalled = new(0);

    public unsafe FakeRingPeer(uint features = (uint)XsWire.XenstoreServerFeatureError, uint connection = XsWire.XenstoreConnected)
    {
        _page = (XenstoreDomainInterface*)NativeMemory.AllocZeroed((nuint)Environment.SystemPageSize);
        _page->ServerFeatures = features;
        _page->Connection = connection;
        // Indices need not start at zero (xenstore-ring.txt); start near the 32-bit wrap.
        _page->ReqCons = _page->ReqProd = _page->RspCons = _page->RspProd = uint.MaxValue - 100;
        Transport = new XsRingTransport(_page, Signal, 9, "fake ring");
        Client = new XenStoreClient(Transport);
    }

    private readonly unsafe XenstoreDomainInterface* _page;

    /// <summary>When set, the client's notification throws it (an event channel that refuses to send).</summary>
    public Exception? NotifyFailure { get; set; }

    private void Signal()
    {
        if (NotifyFailure is { } failure) throw failure;
        _signalled.Release();
    }

    /// <summary>The shared page's fields.</summary>
    public unsafe ref XenstoreDomainInterface Shared => ref *_page;

    public XsRingTransport Transport { get; }

    public XenStoreClient Client { get; }

    public unsafe ByteRing Requests => XenstoreDomainInterfaceRing.Req(_page);

    public unsafe ByteRing Responses => XenstoreDomainInterfaceRing.Rsp(_page);

    /// <summary>The next whole request in the req ring.</summary>
    public async Task<(XsdSockmsg Header, byte[] Payload)> ReceiveRequestAsync()
    {
        var buffer = new byte[XsHeader.FrameMax];
        int filled = 0;
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            filled += Requests.Read(buffer.AsSpan(filled, XsFrame.TryDecode(buffer.AsSpan(0, filled), out _, out _, out int needed) == XsFrameStatus.Incomplete ? needed - filled : 0));
            if (XsFrame.TryDecode(buffer.AsSpan(0, filled), out var header, out var payload, out _) == XsFrameStatus.Complete) return (header, payload.ToArray());
            await _signalled.WaitAsync(TimeSpan.FromMilliseconds(50));
        }
        throw new TimeoutException("no request in the req ring");
    }

    /// <summary>
    /// The server's side of a reconnection: waits for the client to ask for one (<c>XENSTORE_RECONNECT</c>), empties
    /// both queues, says connected and signals.
    /// </summary>
    public async Task AcceptReconnectionAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (Shared.Connection != XsWire.XenstoreReconnect)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("the client never asked for a reconnection");
            await Task.Delay(10);
        }
        Shared.ReqCons = Shared.ReqProd;
        Shared.RspCons = Shared.RspProd;
        Shared.Connection = XsWire.XenstoreConnected;
        Transport.Notify();
    }

    /// <summary>Writes bytes into the rsp ring (they must fit) and signals the client.</summary>
    public void Respond(byte[] bytes)
    {
        Assert.Equal(bytes.Length, Responses.Write(bytes));
        Transport.Notify();
    }

    public unsafe void Dispose()
    {
        Client.Dispose();
        NativeMemory.Free(_page);
        _signalled.Dispose();
    }
}
