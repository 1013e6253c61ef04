using Xen.XenStore.Tests.Support;
using T = Xen.Abi.Io.XsdSockmsgType;

namespace Xen.XenStore.Tests.Server;

public class PermissionTests
{
    private readonly XenStoreServer _server = new();
    private readonly DirectClient _dom0;
    private readonly DirectClient _guest;
    private readonly DirectClient _other;

    public PermissionTests()
    {
        _dom0 = new DirectClient(_server, 0);
        _dom0.Call(T.XsIntroduce, 0, "1", "100", "1");
        _dom0.Call(T.XsIntroduce, 0, "2", "200", "2");
        _guest = new DirectClient(_server, 1);
        _other = new DirectClient(_server, 2);
        _dom0.Mkdir("/local/domain/1");
        _dom0.SetPerms("/local/domain/1", "n1");
        _dom0.Mkdir("/local/domain/2");
        _dom0.SetPerms("/local/domain/2", "n2");
    }

    [Fact]
    public void GuestOwnsItsHomeAndWhatItCreatesThere()
    {
        _guest.Write("data/x", "1");
        Assert.Equal("1", _guest.Read("/local/domain/1/data/x"));
        Assert.Equal(["n1"], _guest.GetPerms("data/x"));
    }

    [Fact]
    public void GuestCannotReadWriteOrListWhatItMayNot()
    {
        _dom0.Write("/secret", "s");
        Assert.Equal("EACCES", _guest.ErrorOf(T.XsRead, 0, "/secret"));
        Assert.Equal("EACCES", _guest.ErrorOf(T.XsWrite, 0, "/secret", "x"u8.ToArray()));
        Assert.Equal("EACCES", _guest.ErrorOf(T.XsDirectory, 0, "/"));
        Assert.Equal("EACCES", _guest.ErrorOf(T.XsRm, 0, "/secret"));
        Assert.Equal("EACCES", _guest.ErrorOf(T.XsWrite, 0, "/new", "x"u8.ToArray()));
        Assert.Equal("EACCES", _guest.ErrorOf(T.XsRead, 0, "/local/domain/2/anything"));
        Assert.Equal("EACCES", _guest.ErrorOf(T.XsSetPerms, 0, "/secret", "b1"));
        Assert.Equal("s", _dom0.Read("/secret"));
    }

    [Fact]
    public void MissingNodesUnderUnreadableParentsLookAccessDeniedNotAbsent()
    {
        Assert.Equal("EACCES", _guest.ErrorOf(T.XsRead, 0, "/local/domain/2/missing"));
        Assert.Equal("ENOENT", _guest.ErrorOf(T.XsRead, 0, "missing"));
    }

    [Fact]
    public void PerDomainEntriesGrantReadWriteOrBoth()
    {
        _dom0.Write("/shared/r", "r");
        _dom0.Write("/shared/w", "w");
        _dom0.Write("/shared/b", "b");
        _dom0.SetPerms("/shared/r", "n0", "r1");
        _dom0.SetPerms("/shared/w", "n0", "w1");
        _dom0.SetPerms("/shared/b", "n0", "b1");
        Assert.Equal("r", _guest.Read("/shared/r"));
        Assert.Equal("EACCES", _guest.ErrorOf(T.XsWrite, 0, "/shared/r", "x"u8.ToArray()));
        Assert.Equal("EACCES", _guest.ErrorOf(T.XsRead, 0, "/shared/w"));
        _guest.Write("/shared/w", "by guest");
        Assert.Equal("by guest", _dom0.Read("/shared/w"));
        _guest.Write("/shared/b", "both");
        Assert.Equal("both", _guest.Read("/shared/b"));
        Assert.Equal("EACCES", _other.ErrorOf(T.XsRead, 0, "/shared/b"));
    }

    [Fact]
    public void FirstEntryIsTheDefaultForUnlistedDomains()
    {
        _dom0.Write("/public", "p");
        _dom0.SetPerms("/public", "r0");
        Assert.Equal("p", _guest.Read("/public"));
        Assert.Equal("p", _other.Read("/public"));
        Assert.Equal("EACCES", _other.ErrorOf(T.XsWrite, 0, "/public", "x"u8.ToArray()));
    }

    [Fact]
    public void OwnerMaySetPermsButNotGiveTheNodeAway()
    {
        _guest.Write("mine", "m");
        _guest.SetPerms("mine", "n1", "r2");
        Assert.Equal("m", _other.Read("/local/domain/1/mine"));
        Assert.Equal("EPERM", _guest.ErrorOf(T.XsSetPerms, 0, "mine", "n2"));
        _dom0.SetPerms("/local/domain/1/mine", "n2");
        Assert.Equal(["n2"], _dom0.GetPerms("/local/domain/1/mine"));
    }

    [Fact]
    public void OnlyDom0ManagesDomains()
    {
        foreach (var (type, args) in new (T, string[])[]
        {
            (T.XsIntroduce, ["3", "1", "1"]), (T.XsRelease, ["2"]), (T.XsSetTarget, ["1", "2"]), (T.XsResume, ["2"]), (T.XsControl, ["help"]),
        })
        {
            Assert.Equal("EACCES", _guest.ErrorOf(type, 0, args));
        }
        Assert.True(_server.IsDomainIntroduced(2));
    }

    [Fact]
    public void SetTargetGivesTheDeviceModelItsGuestsAccess()
    {
        _other.Write("dm-only", "x");
        Assert.Equal("EACCES", _guest.ErrorOf(T.XsRead, 0, "/local/domain/2/dm-only"));
        _dom0.Call(T.XsSetTarget, 0, "1", "2");
        Assert.Equal("x", _guest.Read("/local/domain/2/dm-only"));
        _guest.Write("/local/domain/2/dm-only", "y");
        Assert.Equal("y", _other.Read("dm-only"));
    }
}
