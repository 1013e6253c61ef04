using Xen.XenStore.Tests.Support;

namespace Xen.XenStore.Tests.Interop;

/// <summary>Debian's xenstore-utils (libxenstore, over the unix socket named by XENSTORED_PATH) against our server.</summary>
public class XenstoreUtilsTests
{
    private static ExternalProcess.Result Tool(SocketServerFixture fixture, string tool, params string[] args)
    {
        var result = ExternalProcess.Run(fixture.SocketPath, "/usr/bin/" + tool, args);
        return result;
    }

    private static string Ok(SocketServerFixture fixture, string tool, params string[] args)
    {
        var result = Tool(fixture, tool, args);
        Assert.True(result.ExitCode == 0, $"{tool} {string.Join(' ', args)} exited {result.ExitCode}: {result.Stderr}");
        return result.Stdout;
    }

    [Fact]
    public async Task WriteReadListLsExistsRm()
    {
        await using var fixture = new SocketServerFixture();
        Ok(fixture, "xenstore-write", "/vm/1/name", "guest-one", "/vm/1/memory", "512", "/vm/2/name", "guest-two");
        Assert.Equal("guest-one\n", Ok(fixture, "xenstore-read", "/vm/1/name"));
        Assert.Equal("guest-one\n512\n", Ok(fixture, "xenstore-read", "/vm/1/name", "/vm/1/memory"));
        Assert.Equal("name\nmemory\n", Ok(fixture, "xenstore-list", "/vm/1"));
        Assert.Equal("1 = \"\"\n name = \"guest-one\"\n memory = \"512\"\n2 = \"\"\n name = \"guest-two\"\n", Ok(fixture, "xenstore-ls", "/vm"));
        Assert.Equal(0, Tool(fixture, "xenstore-exists", "/vm/2/name").ExitCode);
        Assert.NotEqual(0, Tool(fixture, "xenstore-exists", "/vm/3").ExitCode);
        var missing = Tool(fixture, "xenstore-read", "/vm/3/name");
        Assert.NotEqual(0, missing.ExitCode);
        Assert.Contains("couldn't read path /vm/3/name", missing.Stderr);
        Ok(fixture, "xenstore-rm", "/vm/1");
        Assert.Equal("2\n", Ok(fixture, "xenstore-list", "/vm"));
        Assert.Equal(0, Tool(fixture, "xenstore-rm", "/vm/1").ExitCode);
    }

    [Fact]
    public async Task ListingLongerThanOneMessageGoesThroughDirectoryPart()
    {
        await using var fixture = new SocketServerFixture();
        var names = Enumerable.Range(0, 300).Select(i => $"a-child-name-long-enough-to-need-paging-{i:D3}").ToList();
        Ok(fixture, "xenstore-write", names.SelectMany(name => new[] { "/big/" + name, "x" }).ToArray());
        Assert.True(names.Sum(n => n.Length + 1) > XsWire.XenstorePayloadMax);
        var listed = Ok(fixture, "xenstore-list", "/big").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(names, listed.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task RelativePathsFromDom0AreUnderItsHome()
    {
        await using var fixture = new SocketServerFixture();
        Ok(fixture, "xenstore-write", "name", "Domain-0");
        Assert.Equal("Domain-0\n", Ok(fixture, "xenstore-read", "/local/domain/0/name"));
    }

    [Fact]
    public async Task ChmodSetsPermissionsShownByLsP()
    {
        await using var fixture = new SocketServerFixture();
        Ok(fixture, "xenstore-write", "/perm/a", "x", "/perm/a/b", "y");
        Ok(fixture, "xenstore-chmod", "/perm/a", "n1", "r2", "b3");
        Assert.Contains("(n1,r2,b3)", Ok(fixture, "xenstore-ls", "-p", "/perm"));
        Ok(fixture, "xenstore-chmod", "-r", "/perm", "r0");
        var listing = Ok(fixture, "xenstore-ls", "-p", "/perm");
        Assert.Equal(2, listing.Split('\n').Count(line => line.Contains("(r0)", StringComparison.Ordinal)));
        var bad = Tool(fixture, "xenstore-chmod", "/perm/a", "q9");
        Assert.NotEqual(0, bad.ExitCode);
    }

    [Fact]
    public async Task WatchPrintsTheRegistrationEventThenChanges()
    {
        await using var fixture = new SocketServerFixture();
        Ok(fixture, "xenstore-write", "/w", "");
        using var watch = ExternalProcess.Start(fixture.SocketPath, "/usr/bin/xenstore-watch", ["-n", "3", "/w"]);
        try
        {
            var first = await ReadLineAsync(watch);
            Assert.Equal("/w", first);
            Ok(fixture, "xenstore-write", "/w/a", "1");
            Ok(fixture, "xenstore-rm", "/w/a");
            Assert.Equal("/w/a", await ReadLineAsync(watch));
            Assert.Equal("/w/a", await ReadLineAsync(watch));
            Assert.True(watch.WaitForExit(10000));
            Assert.Equal(0, watch.ExitCode);
        }
        finally
        {
            ExternalProcess.KillIfRunning(watch);
        }
    }

    private static async Task<string?> ReadLineAsync(System.Diagnostics.Process process)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        return await process.StandardOutput.ReadLineAsync(timeout.Token);
    }
}
