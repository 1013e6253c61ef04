using Xen.XenStore.Client.Tests.Support;

namespace Xen.XenStore.Client.Tests.Transports;

/// <summary>The shared-page transport against peers that misbehave, and the page's connection and error fields.</summary>
public sealed class RingTransportTests
{
    [Fact]
    public async Task Replies_through_the_page_complete_their_requests_across_the_index_wrap()
    {
        using var peer = new FakeRingPeer();
        for (int i = 0; i < 20; i++)
        {
            var read = peer.Client.ReadStringAsync("/a");
            var (header, payload) = await peer.ReceiveRequestAsync();
            Assert.Equal((uint)XsdSockmsgType.XsRead, header.Type);
            Assert.Equal("/a\0"u8.ToArray(), payload);
            peer.Respond(ReadReply(header.ReqId, $"value {i}"));
            Assert.Equal($"value {i}", await read.WaitAsync(TimeSpan.FromSeconds(10)));
        }
        Assert.True(peer.Shared.ReqProd < 1000 && peer.Shared.RspCons < 1000, "the free-running indices wrapped past 2^32");
    }

    [Fact]
    public async Task A_peer_that_corrupts_the_response_indices_is_detected_and_reported()
    {
        using var peer = new FakeRingPeer();
        var read = peer.Client.ReadAsync("/a");
        await peer.ReceiveRequestAsync();
        peer.Shared.RspProd = unchecked(peer.Shared.RspCons + 5000);
        peer.Transport.Notify();
        var e = await Assert.ThrowsAsync<XsProtocolException>(() => read.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Contains("corrupt rsp ring indices", e.Message);
        await Assert.ThrowsAsync<XsProtocolException>(() => peer.Client.Completion);
    }

    [Fact]
    public async Task A_peer_that_corrupts_the_request_indices_is_detected_when_sending()
    {
        using var peer = new FakeRingPeer();
        peer.Shared.ReqCons = unchecked(peer.Shared.ReqProd + 3000);
        var e = await Assert.ThrowsAsync<XsProtocolException>(() => peer.Client.ReadAsync("/a").WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Contains("corrupt req ring indices", e.Message);
    }

    [Fact]
    public async Task An_oversized_message_from_the_peer_is_detected_and_reported()
    {
        using var peer = new FakeRingPeer();
        var read = peer.Client.ReadAsync("/a");
        var (header, _) = await peer.ReceiveRequestAsync();
        var oversized = new byte[XsHeader.Size];
        XsHeader.Write(oversized, XsHeader.Create(XsdSockmsgType.XsRead, header.ReqId, 0, XsHeader.PayloadMax + 1));
        peer.Respond(oversized);
        var e = await Assert.ThrowsAsync<XsProtocolException>(() => read.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Contains("XENSTORE_PAYLOAD_MAX", e.Message);
    }

    [Fact]
    public async Task The_error_field_set_by_our_server_ends_the_connection_with_its_name()
    {
        var server = new XenStoreServer();
        using var pair = new RingPair(server, 5);
        Assert.Equal("/local/domain/5", await pair.Client.GetDomainPathAsync(5));
        // A raw request longer than XENSTORE_PAYLOAD_MAX, straight into the ring: the server flags the page.
        var oversized = new byte[XsHeader.Size];
        XsHeader.Write(oversized, XsHeader.Create(XsdSockmsgType.XsRead, 999, 0, XsHeader.PayloadMax + 1));
        pair.Transport.Send(oversized);
        var e = await Assert.ThrowsAnyAsync<XsConnectionException>(() => pair.Client.Completion.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Contains("XENSTORE_ERROR_PROTO", e.Message);
        Assert.Equal((uint)XsWire.XenstoreErrorProto, pair.Shared.Error);
        await Assert.ThrowsAsync<XsConnectionException>(() => pair.Client.GetDomainPathAsync(5));
    }

    [Fact]
    public async Task While_a_reconnection_is_in_progress_the_client_touches_nothing_but_the_connection_field()
    {
        using var peer = new FakeRingPeer(
            (uint)(XsWire.XenstoreServerFeatureReconnection | XsWire.XenstoreServerFeatureError), XsWire.XenstoreReconnect);
        uint before = peer.Shared.ReqProd;
        // Sending blocks the caller while the ring may not be used (back-pressure), so send from the pool.
        var read = Task.Run(() => peer.Client.ReadStringAsync("/a"));
        await Task.Delay(300);
        Assert.Equal(before, peer.Shared.ReqProd);
        Assert.False(read.IsCompleted);
        peer.Shared.Connection = XsWire.XenstoreConnected;
        peer.Transport.Notify();
        var (header, _) = await peer.ReceiveRequestAsync();
        peer.Respond(ReadReply(header.ReqId, "after reconnect"));
        Assert.Equal("after reconnect", await read.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task Reconnect_asks_the_server_to_reset_the_ring_and_waits_until_it_did()
    {
        using var peer = new FakeRingPeer((uint)(XsWire.XenstoreServerFeatureReconnection | XsWire.XenstoreServerFeatureError));
        Assert.True(peer.Transport.CanReconnect);
        var reconnect = Task.Run(() => peer.Transport.Reconnect(TimeSpan.FromSeconds(10)));
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (peer.Shared.Connection != XsWire.XenstoreReconnect && DateTime.UtcNow < deadline) await Task.Delay(10);
        Assert.Equal((uint)XsWire.XenstoreReconnect, peer.Shared.Connection);
        Assert.False(reconnect.IsCompleted);
        peer.Shared.Connection = XsWire.XenstoreConnected;
        peer.Transport.Notify();
        await reconnect.WaitAsync(TimeSpan.FromSeconds(10));

        using var plain = new FakeRingPeer();
        Assert.Throws<NotSupportedException>(() => plain.Transport.Reconnect(TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public async Task ReconnectAsync_with_our_server_registers_the_watches_again_and_fails_what_it_dropped()
    {
        var server = new XenStoreServer();
        using var pair = new RingPair(server, 0);
        var watch = await pair.Client.WatchAsync("/reconnect", "token");
        var special = await pair.Client.WatchAsync("@releaseDomain", "token");
        Assert.Equal("/reconnect", (await watch.NextAsync()).Path);
        Assert.Equal("@releaseDomain", (await special.NextAsync()).Path);
        var transaction = await pair.Client.StartTransactionAsync();

        await pair.Client.ReconnectAsync(TimeSpan.FromSeconds(10));

        Assert.Equal((uint)XsWire.XenstoreConnected, pair.Shared.Connection);
        // Each subscription goes on: first the event the server fires on registration, then the events of changes.
        Assert.Equal("/reconnect", (await watch.NextAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10))).Path);
        Assert.Equal("@releaseDomain", (await special.NextAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10))).Path);
        await pair.Client.WriteAsync("/reconnect/child", "x");
        Assert.Equal("/reconnect/child", (await watch.NextAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10))).Path);
        // The server holds the watch again, once: the same path and token are refused as a duplicate.
        await Assert.ThrowsAsync<XsAlreadyExistsException>(() => pair.Client.WatchAsync("/reconnect", "token"));
        // The transaction did not survive the reset.
        await Assert.ThrowsAnyAsync<XsErrorException>(() => transaction.WriteAsync("/reconnect/in-transaction", "y"));
        // Disposing it removes the watch registered again: the same path and token can then be registered anew.
        await watch.DisposeAsync();
        await using var again = await pair.Client.WatchAsync("/reconnect", "token");
        Assert.Equal("/reconnect", (await again.NextAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10))).Path);
    }

    [Fact]
    public async Task ReconnectAsync_ends_a_watch_the_server_refuses_to_register_again_with_its_error()
    {
        using var peer = new FakeRingPeer((uint)(XsWire.XenstoreServerFeatureReconnection | XsWire.XenstoreServerFeatureError));
        var registering = peer.Client.WatchAsync("/kept", "kept");
        var (header, _) = await peer.ReceiveRequestAsync();
        peer.Respond(Reply(XsdSockmsgType.XsWatch, header.ReqId, "OK\0"));
        var kept = await registering.WaitAsync(TimeSpan.FromSeconds(10));
        registering = peer.Client.WatchAsync("/refused", "refused");
        (header, _) = await peer.ReceiveRequestAsync();
        peer.Respond(Reply(XsdSockmsgType.XsWatch, header.ReqId, "OK\0"));
        var refused = await registering.WaitAsync(TimeSpan.FromSeconds(10));

        var reconnect = peer.Client.ReconnectAsync(TimeSpan.FromSeconds(10));
        await peer.AcceptReconnectionAsync();
        // Both watches are sent again, in either order; the server takes one and refuses the other.
        for (int i = 0; i < 2; i++)
        {
            var (again, payload) = await peer.ReceiveRequestAsync();
            Assert.Equal((uint)XsdSockmsgType.XsWatch, again.Type);
            bool isRefused = System.Text.Encoding.ASCII.GetString(payload) == "/refused\0refused\0";
            peer.Respond(isRefused ? Reply(XsdSockmsgType.XsError, again.ReqId, "EACCES\0") : Reply(XsdSockmsgType.XsWatch, again.ReqId, "OK\0"));
        }
        await reconnect.WaitAsync(TimeSpan.FromSeconds(10));

        var e = await Assert.ThrowsAsync<XsPermissionDeniedException>(() => refused.NextAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Contains("/refused", e.Message);
        Assert.False(kept.Completion.IsCompleted);
        peer.Respond(Reply(XsdSockmsgType.XsWatchEvent, 0, "/kept\0kept\0"));
        Assert.Equal("/kept", (await kept.NextAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10))).Path);
    }

    [Fact]
    public async Task A_watch_being_registered_during_a_reconnection_is_registered_by_it()
    {
        using var peer = new FakeRingPeer((uint)(XsWire.XenstoreServerFeatureReconnection | XsWire.XenstoreServerFeatureError));
        var registering = peer.Client.WatchAsync("/late", "late");
        var (first, _) = await peer.ReceiveRequestAsync();   // never answered: the reset drops it
        Assert.Equal((uint)XsdSockmsgType.XsWatch, first.Type);

        var reconnect = peer.Client.ReconnectAsync(TimeSpan.FromSeconds(10));
        await peer.AcceptReconnectionAsync();
        var (again, payload) = await peer.ReceiveRequestAsync();
        Assert.Equal((uint)XsdSockmsgType.XsWatch, again.Type);
        Assert.Equal("/late\0late\0", System.Text.Encoding.ASCII.GetString(payload));
        peer.Respond(Reply(XsdSockmsgType.XsWatch, again.ReqId, "OK\0"));
        await reconnect.WaitAsync(TimeSpan.FromSeconds(10));

        var watch = await registering.WaitAsync(TimeSpan.FromSeconds(10));
        peer.Respond(Reply(XsdSockmsgType.XsWatchEvent, 0, "/late\0late\0"));
        Assert.Equal("/late", (await watch.NextAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10))).Path);
    }

    [Fact]
    public async Task A_watch_being_registered_during_a_reconnection_fails_with_the_error_of_its_second_registration()
    {
        using var peer = new FakeRingPeer((uint)(XsWire.XenstoreServerFeatureReconnection | XsWire.XenstoreServerFeatureError));
        var registering = peer.Client.WatchAsync("/late", "late");
        await peer.ReceiveRequestAsync();
        var reconnect = peer.Client.ReconnectAsync(TimeSpan.FromSeconds(10));
        await peer.AcceptReconnectionAsync();
        var (again, _) = await peer.ReceiveRequestAsync();
        peer.Respond(Reply(XsdSockmsgType.XsError, again.ReqId, "E2BIG\0"));
        await reconnect.WaitAsync(TimeSpan.FromSeconds(10));
        await Assert.ThrowsAsync<XsLimitExceededException>(() => registering.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task ReconnectAsync_discards_a_partly_received_reply_and_fails_the_request_the_server_dropped()
    {
        using var peer = new FakeRingPeer((uint)(XsWire.XenstoreServerFeatureReconnection | XsWire.XenstoreServerFeatureError));
        var dropped = peer.Client.ReadStringAsync("/a");
        var (header, _) = await peer.ReceiveRequestAsync();
        peer.Respond(ReadReply(header.ReqId, "never finished")[..10]);
        await Task.Delay(100);
        var reconnect = peer.Client.ReconnectAsync(TimeSpan.FromSeconds(10));
        await peer.AcceptReconnectionAsync();
        await reconnect.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Contains("reconnected", (await Assert.ThrowsAsync<XsConnectionException>(() => dropped.WaitAsync(TimeSpan.FromSeconds(10)))).Message);

        var read = peer.Client.ReadStringAsync("/b");
        (header, _) = await peer.ReceiveRequestAsync();
        peer.Respond(ReadReply(header.ReqId, "whole"));
        Assert.Equal("whole", await read.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    private static byte[] Reply(XsdSockmsgType type, uint requestId, string payload)
    {
        var buffer = new byte[XsHeader.FrameMax];
        var writer = new XsMessageWriter(buffer, type, requestId, 0);
        Assert.True(writer.AppendBytes(System.Text.Encoding.ASCII.GetBytes(payload)));
        return buffer.AsSpan(0, writer.Finish()).ToArray();
    }

    private static byte[] ReadReply(uint requestId, string value)
    {
        var buffer = new byte[XsHeader.FrameMax];
        var writer = new XsMessageWriter(buffer, XsdSockmsgType.XsRead, requestId, 0);
        Assert.True(writer.AppendBytes(System.Text.Encoding.ASCII.GetBytes(value)));
        return buffer.AsSpan(0, writer.Finish()).ToArray();
    }
}
