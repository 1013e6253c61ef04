using Xen.XenStore.Tests.Support;
using T = Xen.Abi.Io.XsdSockmsgType;

namespace Xen.XenStore.Tests.Server;

public class WatchTests
{
    private readonly XenStoreServer _server = new();
    private readonly DirectClient _dom0;
    private readonly DirectClient _watcher;

    public WatchTests()
    {
        _dom0 = new DirectClient(_server, 0);
        _watcher = new DirectClient(_server, 0);
    }

    [Fact]
    public void RegistrationFiresOnceWithTheWatchedPath()
    {
        _watcher.Watch("/w", "tok");
        Assert.Equal([("/w", "tok")], _watcher.TakeEvents());
    }

    [Fact]
    public void ChangesAtOrBelowTheWatchFireWithTheChangedPath()
    {
        _watcher.Watch("/w", "tok");
        _watcher.TakeEvents();
        _dom0.Write("/w/a/b", "1");
        _dom0.Write("/w", "2");
        _dom0.Write("/wx", "not below");
        _dom0.Call(T.XsSetPerms, 0, "/w/a", "r0");
        Assert.Equal([("/w/a/b", "tok"), ("/w", "tok"), ("/w/a", "tok")], _watcher.TakeEvents());
        _dom0.Rm("/w/a"); // read first: an identical event still waiting would be coalesced
        Assert.Equal([("/w/a", "tok")], _watcher.TakeEvents());
    }

    [Fact]
    public void RemovingAnAncestorFiresWithTheWatchedPath()
    {
        _dom0.Write("/anc/mid/leaf", "x");
        _watcher.Watch("/anc/mid/leaf", "deep");
        _watcher.TakeEvents();
        _dom0.Rm("/anc");
        Assert.Equal([("/anc/mid/leaf", "deep")], _watcher.TakeEvents());
    }

    [Fact]
    public void TransactionChangesFireOnlyOnCommit()
    {
        _watcher.Watch("/tw", "t");
        _watcher.TakeEvents();
        uint tx = _dom0.Start();
        _dom0.Write("/tw/a", "1", tx);
        Assert.Empty(_watcher.TakeEvents());
        _dom0.End(tx, commit: true);
        Assert.Equal([("/tw/a", "t")], _watcher.TakeEvents());
        tx = _dom0.Start();
        _dom0.Write("/tw/b", "1", tx);
        _dom0.End(tx, commit: false);
        Assert.Empty(_watcher.TakeEvents());
    }

    [Fact]
    public void EventsFollowTheReplyOfTheRequestThatCausedThemInOrder()
    {
        _watcher.Watch("/o", "1");
        _watcher.Watch("/o/x", "2");
        Assert.Equal([("/o", "1"), ("/o/x", "2")], _watcher.TakeEvents());
        for (int i = 0; i < 5; i++) _dom0.Write($"/o/x/{i}", "v");
        var events = _watcher.TakeEvents();
        Assert.Equal(10, events.Count);
        Assert.Equal(Enumerable.Range(0, 5).SelectMany(i => new[] { ($"/o/x/{i}", "1"), ($"/o/x/{i}", "2") }), events);
    }

    [Fact]
    public void UnwatchStopsEventsAndDuplicatesAreRefused()
    {
        _watcher.Watch("/u", "t");
        Assert.Equal("EEXIST", _watcher.ErrorOf(T.XsWatch, 0, "/u", "t"));
        _watcher.Watch("/u", "other-token");
        _watcher.Unwatch("/u", "t");
        Assert.Equal("ENOENT", _watcher.ErrorOf(T.XsUnwatch, 0, "/u", "t"));
        _watcher.TakeEvents();
        _dom0.Write("/u", "1");
        Assert.Equal([("/u", "other-token")], _watcher.TakeEvents());
    }

    [Fact]
    public void ResetWatchesDropsWatchesAndTransactions()
    {
        _watcher.Watch("/r", "t");
        uint tx = _watcher.Start();
        _watcher.Call(T.XsResetWatches, 0, "");
        _watcher.TakeEvents();
        _dom0.Write("/r", "1");
        Assert.Empty(_watcher.TakeEvents());
        Assert.Equal("ENOENT", _watcher.ErrorOf(T.XsRead, tx, "/r"));
    }

    [Fact]
    public void RelativeWatchesReportRelativePaths()
    {
        _dom0.Call(T.XsIntroduce, 0, "4", "1", "1");
        _dom0.Mkdir("/local/domain/4");
        _dom0.SetPerms("/local/domain/4", "n4");
        var guest = new DirectClient(_server, 4);
        guest.Watch("device", "dev");
        Assert.Equal([("device", "dev")], guest.TakeEvents());
        _dom0.Write("/local/domain/4/device/vif/0", "x");
        Assert.Equal([("device/vif/0", "dev")], guest.TakeEvents());
    }

    [Fact]
    public void GuestsDoNotSeeEventsForNodesTheyCannotRead()
    {
        _dom0.Call(T.XsIntroduce, 0, "4", "1", "1");
        var guest = new DirectClient(_server, 4);
        guest.Watch("/", "root");
        guest.TakeEvents();
        _dom0.Write("/hidden", "h");
        _dom0.Write("/visible", "v");
        _dom0.SetPerms("/visible", "r0");
        Assert.Equal([("/visible", "root")], guest.TakeEvents());
    }

    [Fact]
    public void IntroduceAndReleaseFireSpecialWatches()
    {
        _watcher.Watch("@introduceDomain", "in");
        _watcher.Watch("@releaseDomain", "out");
        _watcher.Watch("/", "all");
        Assert.Equal(3, _watcher.TakeEvents().Count);
        _dom0.Call(T.XsIntroduce, 0, "9", "1234", "5");
        Assert.Equal([("@introduceDomain", "in")], _watcher.TakeEvents());
        _dom0.Call(T.XsRelease, 0, "9");
        Assert.Equal([("@releaseDomain", "out")], _watcher.TakeEvents());
    }
}
