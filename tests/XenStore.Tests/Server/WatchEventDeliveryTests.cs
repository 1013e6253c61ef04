using Xen.XenStore.Tests.Support;
using T = Xen.Abi.Io.XsdSockmsgType;

namespace Xen.XenStore.Tests.Server;

/// <summary>
/// Which watch events reach a client that reads late: dom0 gets every one (an identical event still waiting may
/// be coalesced, as C xenstored does since XSA-326); a guest is held to its event memory quota and the timeout.
/// </summary>
public class WatchEventDeliveryTests
{
    [Fact]
    public void ALateReadingDom0WatcherGetsEveryOneOfTenThousandEvents()
    {
        var server = new XenStoreServer();
        var writer = new DirectClient(server, 0);
        var watcher = new DirectClient(server, 0);
        watcher.Watch("/flood", "t");
        watcher.TakeEvents();
        for (int i = 0; i < 10_000; i++) writer.Write($"/flood/{i}", "x");
        Assert.Equal(10_000, watcher.Connection.PendingEvents);
        var events = watcher.TakeEvents();
        Assert.Equal(Enumerable.Range(0, 10_000).Select(i => ($"/flood/{i}", "t")), events);
        Assert.Equal(0, watcher.Connection.DroppedEvents);
    }

    [Fact]
    public void ALargeTransactionCommitFiresEveryEventForDom0()
    {
        var server = new XenStoreServer();
        var writer = new DirectClient(server, 0);
        var watcher = new DirectClient(server, 0);
        watcher.Watch("/tx", "t");
        watcher.TakeEvents();
        uint tx = writer.Start();
        for (int i = 0; i < 3_000; i++) writer.Write($"/tx/{i}", "x", tx);
        Assert.Empty(watcher.TakeEvents());
        writer.End(tx, commit: true);
        Assert.Equal(Enumerable.Range(0, 3_000).Select(i => ($"/tx/{i}", "t")), watcher.TakeEvents());
    }

    [Fact]
    public void AnIdenticalEventStillWaitingIsCoalescedButSpecialEventsAreNot()
    {
        var server = new XenStoreServer();
        var dom0 = new DirectClient(server, 0);
        var watcher = new DirectClient(server, 0);
        watcher.Watch("/same", "t");
        watcher.Watch("@introduceDomain", "in");
        watcher.TakeEvents();
        dom0.Write("/same", "1");
        dom0.Write("/same", "2");
        dom0.Write("/same/child", "3");
        dom0.Call(T.XsIntroduce, 0, "5", "1", "1");
        dom0.Call(T.XsIntroduce, 0, "6", "1", "1");
        Assert.Equal([("/same", "t"), ("/same/child", "t"), ("@introduceDomain", "in"), ("@introduceDomain", "in")], watcher.TakeEvents());
        Assert.Equal(1, watcher.Connection.CoalescedEvents);
        dom0.Write("/same", "4"); // the earlier one was read: this one is new
        Assert.Equal([("/same", "t")], watcher.TakeEvents());
    }

    [Fact]
    public void AGuestPastItsEventMemoryQuotaLosesEventsAndIsStalledUntilItReads()
    {
        var log = new List<string>();
        var (_, dom0, guest) = WithGuest(new XsQuotas { WatchEventMemory = 10 * EventLength("f/0", "t") }, log: log);
        guest.Watch("f", "t");
        guest.TakeEvents();
        for (int i = 0; i < 100; i++) dom0.Write($"/local/domain/1/f/{i}", "x");
        Assert.Equal(10, guest.Connection.PendingEvents);
        Assert.Equal(90, guest.Connection.DroppedEvents);
        Assert.True(guest.Connection.IsStalled);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => ($"f/{i}", "t")), guest.TakeEvents());
        Assert.False(guest.Connection.IsStalled);
        dom0.Write("/local/domain/1/f/after", "x");
        Assert.Equal([("f/after", "t")], guest.TakeEvents());
        Assert.Contains(log, line => line.Contains("over its event memory quota", StringComparison.Ordinal));
    }

    [Fact]
    public void AGuestsUnreadEventsTimeOutButDom0sNever()
    {
        var time = new ManualTime();
        var (server, dom0, guest) = WithGuest(new XsQuotas(), time);
        var dom0Watcher = new DirectClient(server, 0);
        guest.Watch("w", "g");
        dom0Watcher.Watch("/local/domain/1/w", "d");
        guest.TakeEvents();
        dom0Watcher.TakeEvents();
        dom0.Write("/local/domain/1/w/old", "x");
        time.Advance(TimeSpan.FromSeconds(21));
        dom0.Write("/local/domain/1/w/new", "x");
        Assert.Equal([("w/new", "g")], guest.TakeEvents());
        Assert.Equal(1, guest.Connection.DroppedEvents);
        Assert.Equal([("/local/domain/1/w/old", "d"), ("/local/domain/1/w/new", "d")], dom0Watcher.TakeEvents());
    }

    private static int EventLength(string path, string token) => XsHeader.Size + path.Length + 1 + token.Length + 1;

    private static (XenStoreServer Server, DirectClient Dom0, DirectClient Guest) WithGuest(XsQuotas quotas, TimeProvider? time = null, List<string>? log = null)
    {
        var server = new XenStoreServer(quotas) { Time = time ?? TimeProvider.System, Log = log is null ? null : log.Add };
        var dom0 = new DirectClient(server, 0);
        dom0.Call(T.XsIntroduce, 0, "1", "1", "1");
        dom0.Mkdir("/local/domain/1");
        dom0.SetPerms("/local/domain/1", "n1");
        return (server, dom0, new DirectClient(server, 1));
    }
}
