using System.Text;

namespace Xen.XenStore.Client.Tests.Scenarios;

public abstract partial class ClientScenarios<TFixture>
{
    [Fact]
    public async Task Write_then_read_returns_the_bytes_written()
    {
        using var client = Store.Connect();
        string node = Area() + "/value";
        byte[] value = [0, 1, 2, (byte)'x', 0xff, 0];
        await client.WriteAsync(node, value);
        Assert.Equal(value, await client.ReadAsync(node));
        await client.WriteAsync(node, "späť");
        Assert.Equal("späť", await client.ReadStringAsync(node));
    }

    [Fact]
    public async Task Write_creates_missing_parents_and_directory_lists_children_in_order()
    {
        using var client = Store.Connect();
        string area = Area();
        await client.WriteAsync(area + "/a/b/c", "1");
        await client.WriteAsync(area + "/a/d", "2");
        Assert.Equal(["b", "d"], await client.DirectoryAsync(area + "/a"));
        Assert.Equal("", await client.ReadStringAsync(area + "/a/b"));
        Assert.Empty(await client.DirectoryAsync(area + "/a/d"));
    }

    [Fact]
    public async Task Missing_node_fails_with_the_typed_ENOENT_exception()
    {
        using var client = Store.Connect();
        var e = await Assert.ThrowsAsync<XsNotFoundException>(() => client.ReadAsync(Area() + "/missing"));
        Assert.Equal(XsError.Enoent, e.Error);
        Assert.Contains("XS_READ", e.Message);
        Assert.False(await client.ExistsAsync(Area() + "/missing"));
        Assert.Equal("ok", await ReadBack(client));
    }

    [Fact]
    public async Task Rm_removes_the_subtree_and_mkdir_makes_an_empty_node()
    {
        using var client = Store.Connect();
        string area = Area();
        await client.WriteAsync(area + "/t/x/y", "v");
        await client.RmAsync(area + "/t");
        Assert.False(await client.ExistsAsync(area + "/t/x/y"));
        Assert.False(await client.ExistsAsync(area + "/t"));
        await client.MkdirAsync(area + "/m/n");
        await client.MkdirAsync(area + "/m/n");
        Assert.True(await client.ExistsAsync(area + "/m/n"));
        Assert.Equal("", await client.ReadStringAsync(area + "/m/n"));
    }

    [Fact]
    public async Task Directory_too_long_for_one_reply_is_listed_with_DIRECTORY_PART()
    {
        using var client = Store.Connect();
        string area = Area();
        var names = Enumerable.Range(0, 300).Select(i => $"child-with-a-longish-name-{i:D4}").ToList();
        Assert.True(names.Sum(n => n.Length + 1) > XsHeader.PayloadMax);
        await Task.WhenAll(names.Select(n => client.MkdirAsync($"{area}/{n}")));
        var listed = await client.DirectoryAsync(area);
        Assert.Equal(names.Order(StringComparer.Ordinal), listed.Order(StringComparer.Ordinal));
        Assert.Equal(listed, await client.DirectoryPartAsync(area));
    }

    [Fact]
    public async Task Permissions_round_trip()
    {
        using var client = Store.Connect();
        string node = Area() + "/p";
        await client.WriteAsync(node, "x");
        var permissions = XsPermissions.From([new XsPermission(Store.DomainId, XsAccess.None), new XsPermission(3, XsAccess.Read), new XsPermission(4, XsAccess.Both)]);
        await client.SetPermissionsAsync(node, permissions);
        Assert.Equal(permissions, await client.GetPermissionsAsync(node));
    }

    [Fact]
    public async Task Relative_paths_are_under_the_home_path()
    {
        using var client = Store.Connect();
        string name = $"relative-{Guid.NewGuid():N}";
        await client.WriteAsync(name + "/x", "here");
        Assert.Equal("here", await client.ReadStringAsync($"{Store.Home}/{name}/x"));
        Assert.Equal(Store.Home, await client.GetHomePathAsync());
    }

    [Fact]
    public async Task Paths_and_values_beyond_the_header_limits_are_refused_before_sending()
    {
        using var client = Store.Connect();
        string area = Area();
        foreach (string bad in new[] { "", "/a//b", "/a/", "/sp ace", "/é", "@introduceDomain", "/" + new string('a', XsWire.XenstoreAbsPathMax), new string('a', XsWire.XenstoreRelPathMax + 1) })
        {
            var e = await Assert.ThrowsAsync<XsInvalidArgumentException>(() => client.ReadAsync(bad));
            Assert.Equal(XsError.Einval, e.Error);
        }
        var tooBig = await Assert.ThrowsAsync<XsLimitExceededException>(() => client.WriteAsync(area + "/big", new byte[XsHeader.PayloadMax]));
        Assert.Equal(XsError.E2big, tooBig.Error);
        await Assert.ThrowsAsync<XsInvalidArgumentException>(() => client.WatchAsync(area, "to\0ken"));
        await client.WriteAsync(area + "/fits", new byte[XsHeader.PayloadMax - (area.Length + "/fits".Length + 1) - 2048]);
        Assert.Equal("ok", await ReadBack(client));
    }

    [Fact]
    public async Task Server_errors_map_to_typed_exceptions_through_the_error_table()
    {
        using var client = Store.Connect();
        string area = Area();
        var invalid = await Assert.ThrowsAsync<XsInvalidArgumentException>(() => client.RmAsync("/"));
        Assert.Equal("EINVAL", invalid.Error.Name);
        await using var watch = await client.WatchAsync(area, "same");
        var exists = await Assert.ThrowsAsync<XsAlreadyExistsException>(() => client.WatchAsync(area, "same"));
        Assert.Equal("EEXIST", exists.Error.Name);
        Assert.Equal(XsError.Eexist.Errnum, exists.Error.Errnum);
    }

    [Fact]
    public async Task Many_outstanding_requests_are_multiplexed_by_request_id()
    {
        using var client = Store.Connect();
        string area = Area();
        var indices = Enumerable.Range(0, 200).ToArray();
        await Task.WhenAll(indices.Select(i => client.WriteAsync($"{area}/{i}", $"value {i}")));
        var reads = indices.Select(i => client.ReadStringAsync($"{area}/{i}")).ToArray();
        var values = await Within(Task.WhenAll(reads), 30);
        Assert.Equal(indices.Select(i => $"value {i}"), values);
    }

    private async Task<string> ReadBack(XenStoreClient client)
    {
        string node = Area("readback") + "/v";
        await client.WriteAsync(node, Encoding.ASCII.GetBytes("ok"));
        return await client.ReadStringAsync(node);
    }
}
