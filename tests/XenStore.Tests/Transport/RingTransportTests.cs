using Xen.XenStore.Server.Transport;
using Xen.XenStore.Tests.Support;
using T = Xen.Abi.Io.XsdSockmsgType;

namespace Xen.XenStore.Tests.Transport;

public unsafe class RingTransportTests
{
    private readonly XenStoreServer _server = new();
    private readonly DirectClient _dom0;

    public RingTransportTests()
    {
        _dom0 = new DirectClient(_server, 0);
        foreach (var domain in new[] { "1", "2" })
        {
            _dom0.Call(T.XsIntroduce, 0, domain, "1", "1");
            _dom0.Mkdir("/local/domain/" + domain);
            _dom0.SetPerms("/local/domain/" + domain, "n" + domain);
        }
    }

    [Fact]
    public void ServerAnnouncesTheErrorFieldAndConnects()
    {
        using var guest = new RingGuest(_server, 1);
        Assert.Equal((uint)XsWire.XenstoreServerFeatureError, guest.Page->ServerFeatures & (uint)XsWire.XenstoreServerFeatureError);
        Assert.Equal((uint)XsWire.XenstoreServerFeatureReconnection, guest.Page->ServerFeatures & (uint)XsWire.XenstoreServerFeatureReconnection);
        Assert.Equal((uint)XsWire.XenstoreConnected, guest.Page->Connection);
        Assert.Equal((uint)XsWire.XenstoreErrorNone, guest.Page->Error);
    }

    [Fact]
    public void RequestsAndRepliesLargerThanTheRingGoThroughInPieces()
    {
        using var guest = new RingGuest(_server, 1, pageAtEnd: true);
        var value = new string('v', 2000);
        Assert.Equal((T.XsWrite, "OK\0"), guest.Call(T.XsWrite, 0, "big", System.Text.Encoding.ASCII.GetBytes(value)));
        Assert.Equal((T.XsRead, value), guest.Call(T.XsRead, 0, "big"));
        Assert.Equal(value, _dom0.Read("/local/domain/1/big"));
        for (int i = 0; i < 50; i++) Assert.Equal((T.XsWrite, "OK\0"), guest.Call(T.XsWrite, 0, $"k{i}", new byte[] { (byte)'a' }));
        Assert.Equal((T.XsError, "EACCES\0"), guest.Call(T.XsRead, 0, "/local/domain/2"));
    }

    [Fact]
    public void WatchEventsReachTheGuestWhenAnotherClientChangesTheTree()
    {
        using var guest = new RingGuest(_server, 1);
        Assert.Equal(T.XsWatch, guest.Call(T.XsWatch, 0, "device", "dev").Type);
        Assert.Equal(("device", "dev"), guest.NextEvent(TimeSpan.FromSeconds(10)));
        _dom0.Write("/local/domain/1/device/vbd/768", "x");
        Assert.Equal(("device/vbd/768", "dev"), guest.NextEvent(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public void TransactionsOverTheRing()
    {
        using var guest = new RingGuest(_server, 1);
        var (type, id) = guest.Call(T.XsTransactionStart, 0, "");
        Assert.Equal(T.XsTransactionStart, type);
        uint tx = uint.Parse(id.TrimEnd('\0'));
        guest.Call(T.XsWrite, tx, "in-tx", new byte[] { (byte)'1' });
        Assert.Equal("ENOENT", _dom0.ErrorOf(T.XsRead, 0, "/local/domain/1/in-tx"));
        Assert.Equal((T.XsTransactionEnd, "OK\0"), guest.Call(T.XsTransactionEnd, tx, "T"));
        Assert.Equal("1", _dom0.Read("/local/domain/1/in-tx"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void CorruptRequestIndicesCloseOnlyThatGuest(bool pageAtEnd)
    {
        using var bad = new RingGuest(_server, 1, pageAtEnd);
        using var good = new RingGuest(_server, 2, pageAtEnd);
        good.Call(T.XsWrite, 0, "keep", new byte[] { (byte)'k' });
        bad.Page->ReqProd = bad.Page->ReqCons + 5000;
        bad.Server.Notify();
        Assert.True(bad.Server.IsClosed);
        Assert.Equal((uint)XsWire.XenstoreErrorRingidx, bad.Page->Error);
        Assert.Equal((T.XsRead, "k"), good.Call(T.XsRead, 0, "keep"));
        Assert.Equal("k", _dom0.Read("/local/domain/2/keep"));
    }

    [Fact]
    public void CorruptResponseIndicesAreDetectedWhenReplying()
    {
        using var bad = new RingGuest(_server, 1, pageAtEnd: true);
        bad.Page->RspCons = bad.Page->RspProd + 3000;
        bad.SendRaw(Protocol.FrameTests.Build(T.XsRead, "/"));
        Assert.True(bad.Server.IsClosed);
        Assert.Equal((uint)XsWire.XenstoreErrorRingidx, bad.Page->Error);
    }

    [Fact]
    public void OversizedLengthSetsTheProtocolErrorAndCloses()
    {
        using var bad = new RingGuest(_server, 1);
        var header = new byte[XsHeader.Size];
        XsHeader.Write(header, XsHeader.Create(T.XsWrite, 1, 0, XsWire.XenstorePayloadMax + 1));
        bad.SendRaw(header);
        Assert.True(bad.Server.IsClosed);
        Assert.Equal((uint)XsWire.XenstoreErrorProto, bad.Page->Error);
        Assert.True(_dom0.Connection is { IsClosed: false });
    }

    [Fact]
    public void IndicesThatWrapAroundTheirWidthStillWork()
    {
        using var guest = new RingGuest(_server, 1);
        guest.Page->ReqCons = guest.Page->ReqProd = uint.MaxValue - 10;
        guest.Page->RspCons = guest.Page->RspProd = uint.MaxValue - 3;
        for (int i = 0; i < 20; i++) Assert.Equal(T.XsWrite, guest.Call(T.XsWrite, 0, $"w{i}", new byte[100]).Type);
        Assert.True(guest.Page->ReqProd < 10000);
    }

    [Fact]
    public void OutstandingRequestsApplyBackPressure()
    {
        var server = new XenStoreServer(new XsQuotas { OutstandingRequests = 2 });
        var dom0 = new DirectClient(server, 0);
        dom0.Call(T.XsIntroduce, 0, "1", "1", "1");
        dom0.Write("/local/domain/1/v", new string('v', 900));
        dom0.SetPerms("/local/domain/1/v", "r1");
        using var guest = new RingGuest(server, 1);
        // Five reads without taking the replies: one reply fills the response ring, two more wait in the queue,
        // and then the server stops consuming requests (they stay in the request ring) until the guest reads.
        var frames = Enumerable.Range(0, 5).SelectMany(_ => Protocol.FrameTests.Build(T.XsRead, "v")).ToArray();
        guest.SendRaw(frames);
        Assert.Equal(2, guest.Server.Connection.PendingReplies);
        Assert.True(guest.Page->ReqProd - guest.Page->ReqCons > 0, "requests beyond the limit were consumed");
        for (int i = 0; i < 5; i++)
        {
            var (header, payload) = guest.Receive(TimeSpan.FromSeconds(10));
            Assert.Equal((uint)T.XsRead, header.Type);
            Assert.Equal(900, payload.Length);
        }
        Assert.Equal(guest.Page->ReqProd, guest.Page->ReqCons);
    }

    [Fact]
    public void IntroduceConnectsTheGuestsPageAndReleaseClosesIt()
    {
        using var guest = new RingGuest(pageAtEnd: false);
        var pages = new Dictionary<ulong, RingGuest> { [0x1234] = guest };
        var server = new XenStoreServer
        {
            DomainConnector = introduction =>
            {
                var page = pages[introduction.Frame];
                var connection = new XsRingServerConnection(introduction.Server, introduction.DomainId, page.Page, page.NotifyGuest);
                page.Attach(connection);
                return connection;
            },
        };
        var dom0 = new DirectClient(server, 0);
        dom0.Watch("@introduceDomain", "in");
        dom0.Watch("@releaseDomain", "out");
        dom0.TakeEvents();
        dom0.Call(T.XsIntroduce, 0, "3", (0x1234).ToString(), "9");
        Assert.Equal([("@introduceDomain", "in")], dom0.TakeEvents());
        dom0.Mkdir("/local/domain/3");
        dom0.SetPerms("/local/domain/3", "n3");

        Assert.Equal((T.XsWrite, "OK\0"), guest.Call(T.XsWrite, 0, "name", "guest-3"u8.ToArray()));
        Assert.Equal("guest-3", dom0.Read("/local/domain/3/name"));
        Assert.Equal(["n3"], dom0.GetPerms("/local/domain/3/name"));

        dom0.Call(T.XsRelease, 0, "3");
        Assert.Equal([("@releaseDomain", "out")], dom0.TakeEvents());
        Assert.True(guest.Server.IsClosed);
        Assert.False(server.IsDomainIntroduced(3));
    }

    [Fact]
    public void ReleaseWhileTheGuestIsBusyDoesNotDeadlock()
    {
        for (int round = 0; round < 20; round++)
        {
            using var guest = new RingGuest(pageAtEnd: true);
            var server = new XenStoreServer
            {
                DomainConnector = introduction =>
                {
                    var connection = new XsRingServerConnection(introduction.Server, introduction.DomainId, guest.Page, guest.NotifyGuest);
                    guest.Attach(connection);
                    return connection;
                },
            };
            var dom0 = new DirectClient(server, 0);
            dom0.Call(T.XsIntroduce, 0, "3", "1", "1");
            var request = Protocol.FrameTests.Build(T.XsGetDomainPath, "3");
            var busy = new Thread(() =>
            {
                var scratch = new byte[1024];
                while (!guest.Server.IsClosed)
                {
                    try
                    {
                        XenstoreDomainInterfaceRing.Req(guest.Page).Write(request);
                        guest.Server.Notify();
                        XenstoreDomainInterfaceRing.Rsp(guest.Page).Read(scratch);
                    }
                    catch (Xen.Rings.RingProtocolException)
                    {
                    }
                }
            }) { IsBackground = true };
            busy.Start();
            Thread.Sleep(5);
            Exception? failure = null;
            var release = new Thread(() =>
            {
                try { dom0.Call(T.XsRelease, 0, "3"); }
                catch (Exception e) { failure = e; }
            }) { IsBackground = true };
            release.Start();
            Assert.True(release.Join(TimeSpan.FromSeconds(10)), "RELEASE deadlocked with the guest's notification");
            Assert.Null(failure);
            Assert.True(busy.Join(TimeSpan.FromSeconds(10)));
            Assert.True(guest.Server.IsClosed);
        }
    }

    [Fact]
    public void ReconnectDropsWatchesTransactionsAndPartialPacketsAndEmptiesTheRings()
    {
        using var guest = new RingGuest(_server, 1);
        guest.Call(T.XsWatch, 0, "w", "tok");
        Assert.Equal(("w", "tok"), guest.NextEvent(TimeSpan.FromSeconds(10)));
        uint tx = uint.Parse(guest.Call(T.XsTransactionStart, 0, "").Payload.TrimEnd('\0'));
        guest.Call(T.XsWrite, tx, "in-tx", "1"u8.ToArray());
        var partial = Protocol.FrameTests.Build(T.XsWrite, "half-written", "x");
        XenstoreDomainInterfaceRing.Req(guest.Page).Write(partial.AsSpan(0, partial.Length - 4));
        guest.Server.Notify();

        guest.Page->Connection = (uint)XsWire.XenstoreReconnect;
        guest.Server.Notify();
        Assert.Equal((uint)XsWire.XenstoreConnected, guest.Page->Connection);
        Assert.Equal(0u, guest.Page->ReqCons | guest.Page->ReqProd | guest.Page->RspCons | guest.Page->RspProd);
        Assert.False(guest.Server.IsClosed);

        _dom0.Write("/local/domain/1/w", "changed");
        Assert.Equal((T.XsError, "ENOENT\0"), guest.Call(T.XsRead, tx, "in-tx"));
        Assert.Equal((T.XsError, "ENOENT\0"), guest.Call(T.XsRead, 0, "half-written"));
        Assert.Equal((T.XsRead, "changed"), guest.Call(T.XsRead, 0, "w"));
        Assert.Empty(guest.Events);
        Assert.Equal("ENOENT", _dom0.ErrorOf(T.XsRead, 0, "/local/domain/1/in-tx"));
    }
}
