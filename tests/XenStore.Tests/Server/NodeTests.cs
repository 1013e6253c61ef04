using Xen.XenStore.Tests.Support;
using T = Xen.Abi.Io.XsdSockmsgType;

namespace Xen.XenStore.Tests.Server;

public class NodeTests
{
    private readonly XenStoreServer _server = new();
    private readonly DirectClient _dom0;

    public NodeTests() => _dom0 = new DirectClient(_server, 0);

    [Fact]
    public void WriteCreatesMissingParentsWithEmptyValues()
    {
        _dom0.Write("/a/b/c", "v");
        Assert.Equal("v", _dom0.Read("/a/b/c"));
        Assert.Equal("", _dom0.Read("/a/b"));
        Assert.Equal(["b"], _dom0.Directory("/a"));
        Assert.Equal(["tool", "a"], _dom0.Directory("/")); // /tool/xenstored is there from the start
    }

    [Fact]
    public void ValuesAreBinaryAndMayContainNuls()
    {
        _dom0.Call(T.XsWrite, 0, "/bin", new byte[] { 1, 0, 2, 0 });
        Assert.Equal(new byte[] { 1, 0, 2, 0 }, _dom0.Call(T.XsRead, 0, "/bin"));
        _dom0.Call(T.XsWrite, 0, "/empty", Array.Empty<byte>());
        Assert.Empty(_dom0.Call(T.XsRead, 0, "/empty"));
    }

    [Fact]
    public void MkdirKeepsExistingValues()
    {
        _dom0.Write("/m", "keep");
        _dom0.Mkdir("/m");
        _dom0.Mkdir("/m/n/o");
        Assert.Equal("keep", _dom0.Read("/m"));
        Assert.Equal("", _dom0.Read("/m/n/o"));
    }

    [Fact]
    public void RmRemovesTheSubtreeAndToleratesAMissingLeafButNotAMissingParent()
    {
        _dom0.Write("/r/a/b", "1");
        _dom0.Write("/r/c", "2");
        _dom0.Rm("/r/a");
        Assert.Equal("ENOENT", _dom0.ErrorOf(T.XsRead, 0, "/r/a/b"));
        Assert.Equal(["c"], _dom0.Directory("/r"));
        _dom0.Rm("/r/a");
        Assert.Equal("ENOENT", _dom0.ErrorOf(T.XsRm, 0, "/nothing/here"));
        Assert.Equal("EINVAL", _dom0.ErrorOf(T.XsRm, 0, "/"));
        int before = _server.NodeCount;
        _dom0.Rm("/r");
        Assert.Equal(before - 2, _server.NodeCount);
    }

    [Fact]
    public void ReadOfMissingNodeIsEnoent()
    {
        Assert.Equal("ENOENT", _dom0.ErrorOf(T.XsRead, 0, "/missing"));
        Assert.Equal("ENOENT", _dom0.ErrorOf(T.XsDirectory, 0, "/missing"));
        Assert.Equal("ENOENT", _dom0.ErrorOf(T.XsGetPerms, 0, "/missing"));
    }

    [Fact]
    public void RelativePathsAreUnderTheCallersHome()
    {
        _dom0.Write("name", "Domain-0");
        Assert.Equal("Domain-0", _dom0.Read("/local/domain/0/name"));
    }

    [Fact]
    public void DirectoryTooBigForOneReplyIsE2bigAndDirectoryPartPagesThroughIt()
    {
        var names = Enumerable.Range(0, 300).Select(i => $"child-with-a-long-name-{i:D4}").ToList();
        foreach (var name in names) _dom0.Mkdir("/big/" + name);
        Assert.Equal("E2BIG", _dom0.ErrorOf(T.XsDirectory, 0, "/big"));

        var collected = new List<string>();
        string? generation = null;
        int offset = 0;
        int parts = 0;
        while (true)
        {
            var payload = _dom0.Call(T.XsDirectoryPart, 0, "/big", offset.ToString());
            Assert.True(payload.Length <= XsWire.XenstorePayloadMax);
            var text = System.Text.Encoding.ASCII.GetString(payload);
            int firstNul = text.IndexOf('\0');
            generation ??= text[..firstNul];
            Assert.Equal(generation, text[..firstNul]);
            var list = text[(firstNul + 1)..];
            parts++;
            bool last = list.EndsWith("\0\0", StringComparison.Ordinal) || list == "\0";
            var chunk = list.TrimEnd('\0');
            var chunkNames = chunk.Length == 0 ? [] : chunk.Split('\0');
            collected.AddRange(chunkNames);
            offset += chunkNames.Sum(n => n.Length + 1);
            if (last) break;
        }
        Assert.True(parts > 1);
        Assert.Equal(names, collected); // in creation order, as C xenstored lists them
        Assert.Equal(generation + "\0\0", System.Text.Encoding.ASCII.GetString(_dom0.Call(T.XsDirectoryPart, 0, "/big", "999999")));
    }

    /// <summary>C xenstored's answers (4.20): an offset inside a name starts with the rest of it; at or past the end, only the end marker.</summary>
    [Theory]
    [InlineData(0, "aaa\0bbbb\0cc\0\0")]
    [InlineData(1, "aa\0bbbb\0cc\0\0")]
    [InlineData(4, "bbbb\0cc\0\0")]
    [InlineData(6, "bb\0cc\0\0")]
    [InlineData(10, "c\0\0")]
    [InlineData(11, "\0\0")]
    [InlineData(12, "\0")]
    [InlineData(99, "\0")]
    public void DirectoryPartOffsetsInsideANameGiveTheRestOfIt(int offset, string expected)
    {
        _dom0.Write("/d/aaa", "");
        _dom0.Write("/d/bbbb", "");
        _dom0.Write("/d/cc", "");
        var text = System.Text.Encoding.ASCII.GetString(_dom0.Call(T.XsDirectoryPart, 0, "/d", offset.ToString()));
        Assert.Equal(expected, text[(text.IndexOf('\0') + 1)..]);
    }

    [Fact]
    public void DirectoryPartGenerationChangesWithTheChildren()
    {
        _dom0.Mkdir("/g/a");
        string Gen() => DirectClient.Strings(_dom0.Call(T.XsDirectoryPart, 0, "/g", "0"))[0];
        string before = Gen();
        Assert.Equal(before, Gen());
        _dom0.Mkdir("/g/b");
        Assert.NotEqual(before, Gen());
    }

    [Fact]
    public void GetAndSetPerms()
    {
        _dom0.Write("/p", "x");
        Assert.Equal(["n0"], _dom0.GetPerms("/p"));
        _dom0.SetPerms("/p", "n3", "r4", "b5");
        Assert.Equal(["n3", "r4", "b5"], _dom0.GetPerms("/p"));
        Assert.Equal("EINVAL", _dom0.ErrorOf(T.XsSetPerms, 0, "/p", "q1"));
        Assert.Equal("EINVAL", _dom0.ErrorOf(T.XsSetPerms, 0, "/p"));
        _dom0.Write("/p/child", "");
        Assert.Equal(["n3", "r4", "b5"], _dom0.GetPerms("/p/child"));
    }
}
