namespace Xen.XenStore.Tests.Protocol;

public class PathTests
{
    [Theory]
    [InlineData("/", XsPathKind.Absolute)]
    [InlineData("/local/domain/0/name", XsPathKind.Absolute)]
    [InlineData("/a-b_c@d/E9", XsPathKind.Absolute)]
    [InlineData("device/vif/0", XsPathKind.Relative)]
    [InlineData("@releaseDomain", XsPathKind.Special)]
    [InlineData("", XsPathKind.Invalid)]
    [InlineData("@", XsPathKind.Invalid)]
    [InlineData("//a", XsPathKind.Invalid)]
    [InlineData("/a//b", XsPathKind.Invalid)]
    [InlineData("/a/", XsPathKind.Invalid)]
    [InlineData("/a b", XsPathKind.Invalid)]
    [InlineData("/a.b", XsPathKind.Invalid)]
    [InlineData("/a\u00e9", XsPathKind.Invalid)]
    public void Syntax(string path, XsPathKind kind) =>
        Assert.Equal(kind, XsPath.Classify(System.Text.Encoding.UTF8.GetBytes(path)));

    [Fact]
    public void LengthLimitsComeFromTheHeader()
    {
        byte[] Abs(int length) => System.Text.Encoding.ASCII.GetBytes("/" + new string('a', length - 1));
        byte[] Rel(int length) => System.Text.Encoding.ASCII.GetBytes(new string('a', length));
        Assert.Equal(XsPathKind.Absolute, XsPath.Classify(Abs(XsWire.XenstoreAbsPathMax)));
        Assert.Equal(XsPathKind.Invalid, XsPath.Classify(Abs(XsWire.XenstoreAbsPathMax + 1)));
        Assert.Equal(XsPathKind.Relative, XsPath.Classify(Rel(XsWire.XenstoreRelPathMax)));
        Assert.Equal(XsPathKind.Invalid, XsPath.Classify(Rel(XsWire.XenstoreRelPathMax + 1)));
    }

    [Fact]
    public void RelativePathsAreUnderTheDomainHome()
    {
        Assert.True(XsPath.TryResolve("device/vbd"u8, 7, out var path));
        Assert.Equal("/local/domain/7/device/vbd", path);
        Assert.True(XsPath.TryResolve("/x"u8, 7, out path));
        Assert.Equal("/x", path);
        Assert.False(XsPath.TryResolve("@releaseDomain"u8, 7, out _));
        Assert.Equal("/local/domain/12", XsPath.DomainHome(12));
    }

    [Fact]
    public void ChildrenInTheXenstoreTxtSense()
    {
        Assert.True(XsPath.IsChildOf("/a/b", "/a"));
        Assert.True(XsPath.IsChildOf("/a", "/a"));
        Assert.True(XsPath.IsChildOf("/a", "/"));
        Assert.False(XsPath.IsChildOf("/ab", "/a"));
        Assert.False(XsPath.IsChildOf("/a", "/a/b"));
        Assert.Equal("/a", XsPath.Parent("/a/b"));
        Assert.Equal("/", XsPath.Parent("/a"));
        Assert.Equal("b", XsPath.Name("/a/b"));
        Assert.Equal("/a", XsPath.Child("/", "a"));
    }

    [Fact]
    public void PermissionsParseAndFormat()
    {
        var reader = new XsArgumentReader("n5\0r0\0b7\0w9\0"u8);
        Assert.True(XsPermissions.TryRead(ref reader, out var perms));
        Assert.Equal("n5 r0 b7 w9", perms.ToString());
        Assert.Equal(5u, perms.Owner);
        Assert.Equal(XsAccess.Both, perms.AccessOf(5));
        Assert.Equal(XsAccess.Read, perms.AccessOf(0));
        Assert.Equal(XsAccess.Both, perms.AccessOf(7));
        Assert.Equal(XsAccess.Write, perms.AccessOf(9));
        Assert.Equal(XsAccess.None, perms.AccessOf(3));
        foreach (var bad in new[] { "x1\0", "r\0", "r-1\0", "r1", "" })
        {
            var badReader = new XsArgumentReader(System.Text.Encoding.ASCII.GetBytes(bad));
            Assert.False(XsPermissions.TryRead(ref badReader, out _), bad);
        }
    }
}
