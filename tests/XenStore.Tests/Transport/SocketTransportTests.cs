using System.Diagnostics;
using Xen.XenStore.Tests.Support;
using T = Xen.Abi.Io.XsdSockmsgType;

namespace Xen.XenStore.Tests.Transport;

public class SocketTransportTests
{
    [Fact]
    public async Task PipelinedRequestsAreAnsweredInOrder()
    {
        await using var fixture = new SocketServerFixture();
        using var client = new SocketClient(fixture.SocketPath);
        var frames = new List<byte>();
        for (int i = 0; i < 20; i++) frames.AddRange(client.Frame(T.XsWrite, 0, $"/p/{i}", new byte[] { (byte)('a' + i) }));
        for (int i = 0; i < 20; i++) frames.AddRange(client.Frame(T.XsRead, 0, $"/p/{i}"));
        client.Socket.Send(frames.ToArray());
        for (uint i = 1; i <= 40; i++)
        {
            var (header, payload) = client.Receive();
            Assert.Equal(i, header.ReqId);
            if (i > 20) Assert.Equal(new[] { (byte)('a' + (i - 21)) }, payload);
        }
    }

    [Fact]
    public async Task OversizedLengthClosesOnlyThatConnection()
    {
        await using var fixture = new SocketServerFixture();
        using var good = new SocketClient(fixture.SocketPath);
        using var bad = new SocketClient(fixture.SocketPath);
        Assert.Equal(T.XsWrite, good.Call(T.XsWrite, "/data", "intact"u8.ToArray()).Type);
        var header = new byte[XsHeader.Size];
        XsHeader.Write(header, XsHeader.Create(T.XsWrite, 1, 0, XsWire.XenstorePayloadMax + 1));
        bad.Socket.Send(header);
        Assert.Null(bad.TryReceive());
        Assert.Equal((T.XsRead, "intact"), good.Call(T.XsRead, "/data"));
        Assert.Contains(fixture.Log, line => line.Contains("XENSTORE_PAYLOAD_MAX", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ClientClosingMidMessageLeavesTheServerServing()
    {
        await using var fixture = new SocketServerFixture();
        using var good = new SocketClient(fixture.SocketPath);
        good.Call(T.XsWrite, "/data", "intact"u8.ToArray());
        using (var bad = new SocketClient(fixture.SocketPath))
        {
            var frame = bad.Frame(T.XsWrite, 0, "/data", "clobbered"u8.ToArray());
            bad.Socket.Send(frame.AsSpan(0, frame.Length - 3));
        }
        using var later = new SocketClient(fixture.SocketPath);
        Assert.Equal((T.XsRead, "intact"), later.Call(T.XsRead, "/data"));
        Assert.Equal((T.XsRead, "intact"), good.Call(T.XsRead, "/data"));
    }

    [Fact]
    public async Task GarbageGetsErrorRepliesAndTheConnectionStaysUsable()
    {
        await using var fixture = new SocketServerFixture();
        using var client = new SocketClient(fixture.SocketPath);
        Assert.Equal((T.XsError, "ENOSYS\0"), client.Call((T)42, "/x"));
        Assert.Equal((T.XsError, "EINVAL\0"), client.Call(T.XsRead, "/bad path"));
        Assert.Equal((T.XsError, "EINVAL\0"), client.Call(T.XsWrite, "/no-terminator"u8.ToArray()));
        Assert.Equal((T.XsError, "ENOENT\0"), client.Call(T.XsRead, "/x"));
        Assert.Equal((T.XsWrite, "OK\0"), client.Call(T.XsWrite, "/x", "1"u8.ToArray()));
    }

    [Fact]
    public async Task AClientThatNeverReadsItsWatchEventsDoesNotStallOthers()
    {
        await using var fixture = new SocketServerFixture();
        using var flooded = new SocketClient(fixture.SocketPath);
        // Events of about 2 KiB: 2000 of them are far more than the socket buffers hold, so they wait in the server.
        flooded.Socket.Send(flooded.Frame(T.XsWatch, 0, "/flood", new string('t', 2000)));
        using var watcher = new SocketClient(fixture.SocketPath);
        Assert.Equal(T.XsWatch, watcher.Call(T.XsWatch, "/flood/last", "w").Type);
        Assert.Equal(T.XsWatchEvent, (T)watcher.Receive().Header.Type);
        using var writer = new SocketClient(fixture.SocketPath);
        var value = new byte[3000];
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < 2000; i++) Assert.Equal(T.XsWrite, writer.Call(T.XsWrite, $"/flood/{i}", value).Type);
        writer.Call(T.XsWrite, "/flood/last", value);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30));
        var (header, payload) = watcher.Receive();
        Assert.Equal(T.XsWatchEvent, (T)header.Type);
        Assert.Equal("/flood/last\0w\0", System.Text.Encoding.ASCII.GetString(payload));
    }

    /// <summary>A dom0 watcher that reads only after 10,000 writes (far more than the socket buffers hold) gets every event, in order.</summary>
    [Fact]
    public async Task ALateReadingDom0WatcherReceivesEveryOneOfTenThousandEvents()
    {
        await using var fixture = new SocketServerFixture();
        using var watcher = new SocketClient(fixture.SocketPath);
        Assert.Equal(T.XsWatch, watcher.Call(T.XsWatch, "/late", "w").Type);
        Assert.Equal(T.XsWatchEvent, (T)watcher.Receive().Header.Type);
        using var writer = new SocketClient(fixture.SocketPath);
        for (int i = 0; i < 10_000; i++) Assert.Equal(T.XsWrite, writer.Call(T.XsWrite, $"/late/{i}", "x"u8.ToArray()).Type);
        for (int i = 0; i < 10_000; i++)
        {
            var (header, payload) = watcher.Receive();
            Assert.Equal(T.XsWatchEvent, (T)header.Type);
            Assert.Equal($"/late/{i}\0w\0", System.Text.Encoding.ASCII.GetString(payload));
        }
    }
}
