using Xen.XenStore.Tests.Support;
using T = Xen.Abi.Io.XsdSockmsgType;

namespace Xen.XenStore.Tests.Server;

public class QuotaTests
{
    private static (XenStoreServer Server, DirectClient Dom0, DirectClient Guest) Setup(XsQuotas quotas)
    {
        var server = new XenStoreServer(quotas);
        var dom0 = new DirectClient(server, 0);
        dom0.Call(T.XsIntroduce, 0, "1", "1", "1");
        dom0.Mkdir("/local/domain/1");
        dom0.SetPerms("/local/domain/1", "n1");
        return (server, dom0, new DirectClient(server, 1));
    }

    [Fact]
    public void NodesPerDomain()
    {
        var (_, dom0, guest) = Setup(new XsQuotas { NodesPerDomain = 5 });
        for (int i = 0; i < 4; i++) guest.Write($"n{i}", "x"); // plus the home, which the guest owns
        Assert.Equal("ENOSPC", guest.ErrorOf(T.XsWrite, 0, "n4", "x"u8.ToArray()));
        Assert.Equal("ENOSPC", guest.ErrorOf(T.XsMkdir, 0, "deep/er"));
        guest.Rm("n0");
        guest.Write("n4", "x");
        for (int i = 0; i < 10; i++) dom0.Write($"/dom0/{i}", "unlimited");
    }

    /// <summary>
    /// Two transactions that do not conflict (different parents) may each fit the node quota alone but not together:
    /// the second commit is refused with ENOSPC and applies nothing.
    /// </summary>
    [Fact]
    public void NodesPerDomainIsCheckedAgainWhenATransactionCommits()
    {
        var (_, _, guest) = Setup(new XsQuotas { NodesPerDomain = 5 });
        guest.Write("a", "");
        guest.Write("b", ""); // home, a, b: 3 of 5
        uint first = guest.Start();
        uint second = guest.Start();
        guest.Write("a/x", "1", first);
        guest.Write("a/y", "1", first);
        guest.Write("b/x", "1", second);
        guest.End(first, commit: true); // 5 of 5
        Assert.Equal("ENOSPC", guest.ErrorOf(T.XsTransactionEnd, second, "T"));
        Assert.Equal("ENOENT", guest.ErrorOf(T.XsRead, 0, "b/x"));
        Assert.Equal("1", guest.Read("a/y"));
    }

    [Fact]
    public void ValueSize()
    {
        var (_, dom0, guest) = Setup(new XsQuotas { MaxValueSize = 8 });
        guest.Write("v", "12345678");
        Assert.Equal("ENOSPC", guest.ErrorOf(T.XsWrite, 0, "v", "123456789"u8.ToArray()));
        dom0.Write("/big", new string('x', 100));
    }

    [Fact]
    public void WatchesPerDomain()
    {
        var (_, _, guest) = Setup(new XsQuotas { WatchesPerDomain = 2 });
        guest.Watch("a", "1");
        guest.Watch("b", "1");
        Assert.Equal("E2BIG", guest.ErrorOf(T.XsWatch, 0, "c", "1"));
        guest.Unwatch("a", "1");
        guest.Watch("c", "1");
    }

    [Fact]
    public void TransactionsPerDomain()
    {
        var (_, _, guest) = Setup(new XsQuotas { TransactionsPerDomain = 2 });
        uint t1 = guest.Start();
        guest.Start();
        Assert.Equal("ENOSPC", guest.ErrorOf(T.XsTransactionStart, 0, ""));
        guest.End(t1, commit: false);
        guest.Start();
    }

    [Fact]
    public void PathLengthBelowTheHome()
    {
        var (_, _, guest) = Setup(new XsQuotas { MaxRelativePathLength = 10 });
        guest.Write("0123456789", "ok");
        Assert.Equal("ENOSPC", guest.ErrorOf(T.XsWrite, 0, "0123456789a", "x"u8.ToArray()));
    }

    [Fact]
    public void OverlongPathsAreInvalidForEveryone()
    {
        var (_, dom0, guest) = Setup(new XsQuotas());
        string tooLong = "/" + new string('a', XsWire.XenstoreAbsPathMax);
        Assert.Equal("EINVAL", dom0.ErrorOf(T.XsWrite, 0, tooLong, "x"u8.ToArray()));
        Assert.Equal("EINVAL", guest.ErrorOf(T.XsRead, 0, new string('a', XsWire.XenstoreRelPathMax + 1)));
    }
}
