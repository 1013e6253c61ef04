using System.Collections.Concurrent;

namespace Xen.XenStore.Client.Tests.Scenarios;

public abstract partial class ClientScenarios<TFixture>
{
    [Fact]
    public async Task A_watch_fires_once_on_registration_first()
    {
        using var client = Store.Connect();
        string area = Area();
        await using var watch = await client.WatchAsync(area, "registered");
        Assert.Equal(new XsWatchEvent(area, "registered"), await NextEvent(watch));
        Assert.False(watch.Events.TryRead(out _));
    }

    [Fact]
    public async Task Watch_events_arrive_in_the_order_of_the_changes()
    {
        using var watcher = Store.Connect();
        using var writer = Store.Connect();
        string area = Area();
        await writer.MkdirAsync(area);
        await using var watch = await watcher.WatchAsync(area);
        Assert.Equal(area, (await NextEvent(watch)).Path);
        string[] expected = [.. Enumerable.Range(0, 20).Select(i => $"{area}/n{i}"), area + "/n3", area];
        foreach (string path in expected.Take(20)) await writer.WriteAsync(path, "v");
        await writer.WriteAsync(area + "/n3", "again");
        await writer.RmAsync(area);
        foreach (string path in expected)
        {
            var next = await NextEvent(watch);
            Assert.Equal((path, watch.Token), (next.Path, next.Token));
        }
    }

    [Fact]
    public async Task A_watch_on_a_relative_path_reports_relative_paths()
    {
        using var client = Store.Connect();
        string relative = Area()[(Store.Home.Length + 1)..];
        await client.MkdirAsync(relative);
        await using var watch = await client.WatchAsync(relative, "rel");
        Assert.Equal(relative, (await NextEvent(watch)).Path);
        await client.WriteAsync($"{Store.Home}/{relative}/leaf", "x");
        Assert.Equal(relative + "/leaf", (await NextEvent(watch)).Path);
    }

    [Fact]
    public async Task A_removed_watch_delivers_nothing_more_and_its_stream_ends()
    {
        using var client = Store.Connect();
        string area = Area();
        var watch = await client.WatchAsync(area, "gone");
        await NextEvent(watch);
        await client.WriteAsync(area + "/before", "1");
        await watch.DisposeAsync();
        await client.WriteAsync(area + "/after", "2");
        var seen = new List<XsWatchEvent>();
        await foreach (var e in watch) seen.Add(e);
        Assert.Equal([new XsWatchEvent(area + "/before", "gone")], seen);
        await watch.Completion.WaitAsync(TimeSpan.FromSeconds(5));
        // The server forgot it too: the same path and token can be registered again.
        await using var again = await client.WatchAsync(area, "gone");
        Assert.Equal(area, (await NextEvent(again)).Path);
    }

    [Fact]
    public async Task A_watch_can_deliver_to_a_callback()
    {
        using var client = Store.Connect();
        string area = Area();
        var seen = new BlockingCollection<XsWatchEvent>();
        await using var watch = await client.WatchAsync(area, seen.Add, "cb");
        await client.WriteAsync(area + "/x", "1");
        Assert.True(seen.TryTake(out var first, TimeSpan.FromSeconds(10)));
        Assert.True(seen.TryTake(out var second, TimeSpan.FromSeconds(10)));
        Assert.Equal([new XsWatchEvent(area, "cb"), new XsWatchEvent(area + "/x", "cb")], new[] { first, second });
    }

    [Fact]
    public async Task Changes_in_a_transaction_fire_watches_only_when_it_commits()
    {
        using var watcher = Store.Connect();
        using var writer = Store.Connect();
        string area = Area();
        // Existing nodes: creating one would change the watched parent's children, which the transaction
        // then conflicts with.
        await writer.WriteAsync(area + "/in-transaction", "0");
        await writer.WriteAsync(area + "/outside", "0");
        await using var watch = await watcher.WatchAsync(area);
        await NextEvent(watch);
        var transaction = await writer.StartTransactionAsync();
        await transaction.WriteAsync(area + "/in-transaction", "1");
        await writer.WriteAsync(area + "/outside", "2");
        Assert.Equal(area + "/outside", (await NextEvent(watch)).Path);
        await transaction.CommitAsync();
        Assert.Equal(area + "/in-transaction", (await NextEvent(watch)).Path);
    }

    [Fact]
    public async Task Watch_streams_end_with_the_connection()
    {
        var client = Store.Connect();
        await using var watch = await client.WatchAsync(Area());
        await NextEvent(watch);
        client.Dispose();
        var e = await Assert.ThrowsAnyAsync<Exception>(() => watch.Completion.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.IsAssignableFrom<XsConnectionException>(e);
        await Assert.ThrowsAsync<XsConnectionException>(() => client.ReadAsync(Store.Home));
    }
}
