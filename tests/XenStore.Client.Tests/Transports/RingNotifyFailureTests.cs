using Xen.XenStore.Client.Tests.Support;

namespace Xen.XenStore.Client.Tests.Transports;

/// <summary>
/// The ring's event channel refusing a notification (the callback throws, as <c>EVTCHNOP_send</c> failing does): the
/// connection ends, and every request outstanding or made later fails naming the refusal; none waits for a peer that
/// was never told.
/// </summary>
public sealed class RingNotifyFailureTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    private static Exception Refusal() => new InvalidOperationException("EVTCHNOP_send: XEN_EIO");

    [Fact]
    public async Task A_refused_notify_after_a_request_fails_it_and_every_later_request()
    {
        using var peer = new FakeRingPeer();
        peer.NotifyFailure = Refusal();
        var e = await Assert.ThrowsAsync<XsConnectionException>(() => peer.Client.ReadAsync("/a").WaitAsync(Bound));
        Assert.Contains("fake ring: notifying the store failed: EVTCHNOP_send: XEN_EIO", e.Message);
        // The peer never heard of the request: the connection stays ended when the channel works again.
        peer.NotifyFailure = null;
        var later = await Assert.ThrowsAsync<XsConnectionException>(() => peer.Client.ReadAsync("/b").WaitAsync(Bound));
        Assert.Contains("EVTCHNOP_send: XEN_EIO", later.Message);
        var ended = await Assert.ThrowsAsync<XsConnectionException>(() => peer.Client.Completion.WaitAsync(Bound));
        Assert.Contains("EVTCHNOP_send: XEN_EIO", ended.Message);
    }

    [Fact]
    public async Task A_refused_notify_after_a_reply_is_read_fails_every_outstanding_request()
    {
        using var peer = new FakeRingPeer();
        var first = peer.Client.ReadStringAsync("/a");
        var second = peer.Client.ReadStringAsync("/b");
        var (header, _) = await peer.ReceiveRequestAsync();
        await peer.ReceiveRequestAsync();
        peer.NotifyFailure = Refusal();
        peer.Respond(ReadReply(header.ReqId, "a"));
        foreach (var request in new[] { first, second })
        {
            var e = await Assert.ThrowsAsync<XsConnectionException>(() => request.WaitAsync(Bound));
            Assert.Contains("EVTCHNOP_send: XEN_EIO", e.Message);
        }
    }

    [Fact]
    public async Task A_request_waiting_for_room_in_a_full_ring_fails_when_another_notify_is_refused()
    {
        using var peer = new FakeRingPeer();
        var read = peer.Client.ReadStringAsync("/a");
        var (header, _) = await peer.ReceiveRequestAsync();
        // More than the req ring holds: its send fills the ring and waits for the peer, which reads nothing more.
        var write = Task.Run(() => peer.Client.WriteAsync("/big", new string('x', 3000)));
        var until = DateTime.UtcNow + Bound;
        while (peer.Shared.ReqProd - peer.Shared.ReqCons < XsWire.XenstoreRingSize)
        {
            Assert.True(DateTime.UtcNow < until, "the write never filled the req ring");
            await Task.Delay(10);
        }
        peer.NotifyFailure = Refusal();
        peer.Respond(ReadReply(header.ReqId, "a")); // the receive thread's notify is refused
        foreach (var request in new Task[] { read, write })
        {
            var e = await Assert.ThrowsAsync<XsConnectionException>(() => request.WaitAsync(Bound));
            Assert.Contains("EVTCHNOP_send: XEN_EIO", e.Message);
        }
    }

    private static byte[] ReadReply(uint requestId, string value)
    {
        var buffer = new byte[XsHeader.FrameMax];
        var writer = new XsMessageWriter(buffer, XsdSockmsgType.XsRead, requestId, 0);
        Assert.True(writer.AppendBytes(System.Text.Encoding.ASCII.GetBytes(value)));
        return buffer.AsSpan(0, writer.Finish()).ToArray();
    }
}
