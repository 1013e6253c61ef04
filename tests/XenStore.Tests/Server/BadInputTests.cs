using Xen.XenStore.Tests.Support;
using T = Xen.Abi.Io.XsdSockmsgType;

namespace Xen.XenStore.Tests.Server;

public class BadInputTests
{
    private readonly XenStoreServer _server = new();
    private readonly DirectClient _client;

    public BadInputTests() => _client = new DirectClient(_server, 0);

    private string ErrorOfFrame(uint type, byte[] payload)
    {
        var frame = new byte[XsHeader.Size + payload.Length];
        XsHeader.Write(frame, new XsdSockmsg { Type = type, ReqId = 77, TxId = 0, Len = (uint)payload.Length });
        payload.CopyTo(frame, XsHeader.Size);
        var (replyType, reply, header) = _client.SendFrame(frame);
        Assert.Equal(T.XsError, replyType);
        Assert.Equal(77u, header.ReqId);
        return System.Text.Encoding.ASCII.GetString(reply).TrimEnd('\0');
    }

    [Theory]
    [InlineData(20u)]
    [InlineData(23u)]
    [InlineData(65535u)]
    [InlineData(0xdeadbeefu)]
    [InlineData((uint)T.XsWatchEvent)]
    [InlineData((uint)T.XsError)]
    public void UnknownOrServerOnlyTypesAreEnosys(uint type) => Assert.Equal("ENOSYS", ErrorOfFrame(type, "/a\0"u8.ToArray()));

    [Fact]
    public void MissingNulTerminatorsAreEinval()
    {
        Assert.Equal("EINVAL", ErrorOfFrame((uint)T.XsRead, "/a"u8.ToArray()));
        Assert.Equal("EINVAL", ErrorOfFrame((uint)T.XsRead, Array.Empty<byte>()));
        Assert.Equal("EINVAL", ErrorOfFrame((uint)T.XsWatch, "/a\0tok"u8.ToArray()));
        Assert.Equal("EINVAL", ErrorOfFrame((uint)T.XsGetDomainPath, "1"u8.ToArray()));
    }

    [Theory]
    [InlineData("/a b")]
    [InlineData("/a//b")]
    [InlineData("/a/")]
    [InlineData("/caf\u00e9")]
    [InlineData("@releaseDomain")]
    public void InvalidPathsAreEinval(string path)
    {
        Assert.Equal("EINVAL", ErrorOfFrame((uint)T.XsWrite, [.. System.Text.Encoding.UTF8.GetBytes(path), 0, (byte)'v']));
        Assert.Equal(5, _server.NodeCount); // the root, /tool, /tool/xenstored and the two special paths
    }

    [Fact]
    public void BadRequestsLeaveTheStoreAndOtherClientsIntact()
    {
        var other = new DirectClient(_server, 0);
        other.Write("/keep", "safe");
        other.Watch("/keep", "k");
        other.TakeEvents();
        ErrorOfFrame(99, "/keep\0x"u8.ToArray());
        ErrorOfFrame((uint)T.XsWrite, "/keep"u8.ToArray());
        Assert.Equal("safe", other.Read("/keep"));
        Assert.Empty(other.TakeEvents());
    }
}
