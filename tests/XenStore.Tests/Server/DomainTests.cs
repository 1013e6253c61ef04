using Xen.XenStore.Tests.Support;
using T = Xen.Abi.Io.XsdSockmsgType;

namespace Xen.XenStore.Tests.Server;

public class DomainTests
{
    private readonly XenStoreServer _server;
    private readonly DirectClient _dom0;
    private readonly List<XsIntroduction> _connected = new();
    private readonly List<uint> _disconnected = new();

    public DomainTests()
    {
        _server = new XenStoreServer
        {
            DomainConnector = introduction =>
            {
                _connected.Add(introduction);
                return new Handle(() => _disconnected.Add(introduction.DomainId));
            },
        };
        _dom0 = new DirectClient(_server, 0);
    }

    private string IsIntroduced(string domain) => DirectClient.Strings(_dom0.Call(T.XsIsDomainIntroduced, 0, domain))[0];

    [Fact]
    public void IntroduceConnectsAndReleaseDisconnects()
    {
        Assert.Equal("F", IsIntroduced("5"));
        Assert.Equal("T", IsIntroduced("0"));
        _dom0.Call(T.XsIntroduce, 0, "5", "4096", "17");
        Assert.Equal("T", IsIntroduced("5"));
        Assert.Equal(new XsIntroduction(_server, 5, 4096, 17), Assert.Single(_connected));
        _dom0.Call(T.XsIntroduce, 0, "5", "4096", "17");
        Assert.Equal("EEXIST", _dom0.ErrorOf(T.XsIntroduce, 0, "5", "1", "17"));
        _dom0.Call(T.XsResume, 0, "5");
        _dom0.Call(T.XsRelease, 0, "5");
        Assert.Equal([5u], _disconnected);
        Assert.Equal("F", IsIntroduced("5"));
        Assert.Equal("ENOENT", _dom0.ErrorOf(T.XsRelease, 0, "5"));
        Assert.Equal("ENOENT", _dom0.ErrorOf(T.XsResume, 0, "5"));
    }

    [Fact]
    public void ReleaseClosesTheGuestsConnection()
    {
        _dom0.Call(T.XsIntroduce, 0, "6", "1", "1");
        var guest = new DirectClient(_server, 6);
        guest.Watch("@releaseDomain", "x");
        _dom0.Call(T.XsRelease, 0, "6");
        Assert.True(guest.Connection.IsClosed);
    }

    [Fact]
    public void DomainIdsMustBeRealGuests()
    {
        Assert.Equal("EINVAL", _dom0.ErrorOf(T.XsIntroduce, 0, "0", "1", "1"));
        Assert.Equal("EINVAL", _dom0.ErrorOf(T.XsIntroduce, 0, Xen.Abi.Xen.DomidFirstReserved.ToString(), "1", "1"));
        Assert.Equal("EINVAL", _dom0.ErrorOf(T.XsIntroduce, 0, "7", "1"));
        Assert.Equal("EINVAL", _dom0.ErrorOf(T.XsIntroduce, 0, "seven", "1", "1"));
        Assert.Equal("EINVAL", _dom0.ErrorOf(T.XsGetDomainPath, 0, "x"));
        Assert.Equal("ENOENT", _dom0.ErrorOf(T.XsSetTarget, 0, "7", "8"));
    }

    [Fact]
    public void GetDomainPathNamesTheHome()
    {
        Assert.Equal(["/local/domain/3"], DirectClient.Strings(_dom0.Call(T.XsGetDomainPath, 0, "3")));
        Assert.Equal(["/local/domain/0"], DirectClient.Strings(_dom0.Call(T.XsGetDomainPath, 0, "0")));
    }

    [Fact]
    public void ControlHelpAndPrint()
    {
        Assert.Contains("print", System.Text.Encoding.ASCII.GetString(_dom0.Call(T.XsControl, 0, "help")));
        _dom0.Call(T.XsControl, 0, "print", "hello");
        Assert.Equal("EINVAL", _dom0.ErrorOf(T.XsControl, 0, "frobnicate"));
    }

    private sealed class Handle(Action dispose) : IDisposable
    {
        public void Dispose() => dispose();
    }
}
