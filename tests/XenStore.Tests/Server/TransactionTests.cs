using Xen.XenStore.Tests.Support;
using T = Xen.Abi.Io.XsdSockmsgType;

namespace Xen.XenStore.Tests.Server;

public class TransactionTests
{
    private readonly XenStoreServer _server = new();
    private readonly DirectClient _a;
    private readonly DirectClient _b;

    public TransactionTests()
    {
        _a = new DirectClient(_server, 0);
        _b = new DirectClient(_server, 0);
        _a.Write("/t/x", "1");
    }

    [Fact]
    public void WritesInATransactionAreInvisibleUntilCommit()
    {
        uint tx = _a.Start();
        _a.Write("/t/x", "2", tx);
        _a.Write("/t/new/deep", "n", tx);
        Assert.Equal("2", _a.Read("/t/x", tx));
        Assert.Equal("1", _a.Read("/t/x"));
        Assert.Equal("1", _b.Read("/t/x"));
        Assert.Equal("ENOENT", _b.ErrorOf(T.XsRead, 0, "/t/new/deep"));
        _a.End(tx, commit: true);
        Assert.Equal("2", _b.Read("/t/x"));
        Assert.Equal("n", _b.Read("/t/new/deep"));
    }

    /// <summary>As C xenstored: a node is read as it is when the transaction first looks at it, then stays as the transaction saw or left it.</summary>
    [Fact]
    public void TransactionsSeeANodeAsItIsWhenTheyFirstLookAtIt()
    {
        uint tx = _a.Start();
        Assert.Equal("1", _a.Read("/t/x", tx));
        _b.Write("/t/x", "outside");
        _b.Write("/t/y", "outside");
        Assert.Equal("1", _a.Read("/t/x", tx));
        Assert.Equal("outside", _a.Read("/t/y", tx));
        Assert.Equal("EAGAIN", _a.ErrorOf(T.XsTransactionEnd, tx, "T")); // /t/x changed after it looked
    }

    [Fact]
    public void ConflictingCommitIsEagainAndChangesNothing()
    {
        uint tx = _a.Start();
        Assert.Equal("1", _a.Read("/t/x", tx));
        _a.Write("/t/z", "mine", tx);
        _b.Write("/t/x", "theirs");
        Assert.Equal("EAGAIN", _a.ErrorOf(T.XsTransactionEnd, tx, "T"));
        Assert.Equal("theirs", _b.Read("/t/x"));
        Assert.Equal("ENOENT", _b.ErrorOf(T.XsRead, 0, "/t/z"));
        Assert.Equal("ENOENT", _a.ErrorOf(T.XsTransactionEnd, tx, "T"));
    }

    [Fact]
    public void UnrelatedChangesDoNotConflict()
    {
        uint tx = _a.Start();
        _a.Write("/t/x", "tx", tx);
        _b.Write("/elsewhere", "e");
        _a.End(tx, commit: true);
        Assert.Equal("tx", _b.Read("/t/x"));
    }

    [Fact]
    public void TwoTransactionsCreatingSiblingsConflictOnTheParent()
    {
        uint t1 = _a.Start();
        uint t2 = _b.Start();
        _a.Write("/t/one", "1", t1);
        _b.Write("/t/two", "2", t2);
        _a.End(t1, commit: true);
        Assert.Equal("EAGAIN", _b.ErrorOf(T.XsTransactionEnd, t2, "T"));
        Assert.Equal(["x", "one"], _a.Directory("/t"));
    }

    [Fact]
    public void AbortDiscards()
    {
        uint tx = _a.Start();
        _a.Rm("/t", tx);
        Assert.Equal("ENOENT", _a.ErrorOf(T.XsRead, tx, "/t/x"));
        _a.End(tx, commit: false);
        Assert.Equal("1", _a.Read("/t/x"));
    }

    [Fact]
    public void UnknownTransactionIdsAndBadEndsAreRefused()
    {
        Assert.Equal("ENOENT", _a.ErrorOf(T.XsRead, 12345, "/t/x"));
        uint tx = _a.Start();
        Assert.Equal("ENOENT", _b.ErrorOf(T.XsRead, tx, "/t/x"));
        Assert.Equal("EINVAL", _a.ErrorOf(T.XsTransactionEnd, tx, "maybe"));
        Assert.Equal("EBUSY", _a.ErrorOf(T.XsTransactionStart, tx, ""));
        _a.End(tx, commit: true);
    }

    [Fact]
    public void TransactionIdsAreDistinctAndNonZero()
    {
        var ids = Enumerable.Range(0, 5).Select(_ => _a.Start()).ToList();
        Assert.DoesNotContain(0u, ids);
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }
}
