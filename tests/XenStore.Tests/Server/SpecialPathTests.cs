using Xen.XenStore.Tests.Support;
using T = Xen.Abi.Io.XsdSockmsgType;

namespace Xen.XenStore.Tests.Server;

/// <summary>The special paths' permissions (Xen 4.20), special watch syntax, and the tree xenstored starts with.</summary>
public class SpecialPathTests
{
    private readonly XenStoreServer _server = new();
    private readonly DirectClient _dom0;

    public SpecialPathTests()
    {
        _dom0 = new DirectClient(_server, 0);
        _dom0.Call(T.XsIntroduce, 0, "1", "1", "1");
    }

    [Fact]
    public void TheInitialTreeHoldsToolXenstored()
    {
        Assert.Equal(["tool"], _dom0.Directory("/"));
        Assert.Equal(["xenstored"], _dom0.Directory("/tool"));
        Assert.Equal("", _dom0.Read("/tool/xenstored"));
        Assert.Equal(["n0"], _dom0.GetPerms("/tool/xenstored"));
    }

    [Theory]
    [InlineData("@introduceDomain")]
    [InlineData("@releaseDomain")]
    public void PermissionsOfTheSpecialPathsCanBeReadAndSet(string path)
    {
        Assert.Equal(["n0"], _dom0.GetPerms(path));
        _dom0.SetPerms(path, "n0", "r1");
        Assert.Equal(["n0", "r1"], _dom0.GetPerms(path));
        Assert.Equal("ENOENT", _dom0.ErrorOf(T.XsGetPerms, 0, "@other"));
        Assert.Equal("ENOENT", _dom0.ErrorOf(T.XsSetPerms, 0, "@other", "n0"));
    }

    [Fact]
    public void AGuestSeesSpecialEventsOnlyWhileItMayReadThePath()
    {
        var guest = new DirectClient(_server, 1);
        guest.Watch("@introduceDomain", "in");
        Assert.Equal([("@introduceDomain", "in")], guest.TakeEvents());
        Assert.Equal("EACCES", guest.ErrorOf(T.XsGetPerms, 0, "@introduceDomain"));
        Assert.Equal("EACCES", guest.ErrorOf(T.XsSetPerms, 0, "@introduceDomain", "n1"));
        _dom0.Call(T.XsIntroduce, 0, "2", "1", "1");
        Assert.Empty(guest.TakeEvents());
        _dom0.SetPerms("@introduceDomain", "n0", "r1"); // a permission change fires the path's watches too
        _dom0.Call(T.XsIntroduce, 0, "3", "1", "1");
        Assert.Equal([("@introduceDomain", "in"), ("@introduceDomain", "in")], guest.TakeEvents());
        Assert.Equal(["n0", "r1"], guest.GetPerms("@introduceDomain"));
    }

    [Theory]
    [InlineData("@")]
    [InlineData("@bad path")]
    [InlineData("@whatever")]
    public void AnyPathStartingWithAtIsASpecialWatchAsInC(string path)
    {
        _dom0.Watch(path, "t");
        Assert.Equal([(path, "t")], _dom0.TakeEvents());
        _dom0.Write("/x", "1");
        Assert.Empty(_dom0.TakeEvents());
        _dom0.Unwatch(path, "t");
    }
}
