using Xen.XenStore.Client.Tests.Support;

namespace Xen.XenStore.Client.Tests.Transports;

public sealed class SocketTransportTests(SocketStoreFixture store) : IClassFixture<SocketStoreFixture>
{
    [Fact]
    public async Task Every_message_type_of_xs_wire_travels_between_client_and_server()
    {
        var recorder = new RecordingTransport(XsUnixSocketTransport.Connect(store.SocketPath));
        using (var client = new XenStoreClient(recorder))
        {
            string area = "/every-type";
            await client.WriteAsync(area + "/x", "1");
            await client.ReadAsync(area + "/x");
            await client.MkdirAsync(area + "/d");
            await client.DirectoryAsync(area);
            await client.DirectoryPartAsync(area);
            var perms = await client.GetPermissionsAsync(area);
            await client.SetPermissionsAsync(area, perms);
            await client.RmAsync(area + "/d");
            var watch = await client.WatchAsync(area);
            await watch.NextAsync();
            await watch.DisposeAsync();
            await client.RunTransactionAsync(t => t.WriteAsync(area + "/t", "2"));
            await client.IntroduceAsync(11, 77, 3);
            await client.IsDomainIntroducedAsync(11);
            await client.IntroduceAsync(12, 78, 3);
            await client.SetTargetAsync(12, 11);
            await client.ResumeAsync(11);
            await client.GetDomainPathAsync(11);
            await client.ReleaseAsync(12);
            await client.ReleaseAsync(11);
            await client.ResetWatchesAsync();
            await client.ControlAsync(["print", "every message type"]);
            await Assert.ThrowsAsync<XsNotFoundException>(() => client.ReadAsync(area + "/missing"));
        }
        var known = Enum.GetValues<XsdSockmsgType>().Where(t => XsMessageTypes.IsKnown((uint)t)).ToHashSet();
        var seen = recorder.Sent.Concat(recorder.Received).ToHashSet();
        Assert.Empty(known.Except(seen));
        Assert.Contains(XsdSockmsgType.XsWatchEvent, recorder.Received);
        Assert.Contains(XsdSockmsgType.XsError, recorder.Received);
    }

    [Fact]
    public async Task Requests_refused_by_the_client_checks_send_nothing()
    {
        var recorder = new RecordingTransport(XsUnixSocketTransport.Connect(store.SocketPath));
        using var client = new XenStoreClient(recorder);
        await Assert.ThrowsAsync<XsInvalidArgumentException>(() => client.WriteAsync("/bad//path", "x"));
        await Assert.ThrowsAsync<XsLimitExceededException>(() => client.WriteAsync("/ok", new byte[XsHeader.PayloadMax]));
        await Assert.ThrowsAsync<XsInvalidArgumentException>(() => client.WatchAsync("no good"));
        await Assert.ThrowsAsync<XsInvalidArgumentException>(() => client.IntroduceAsync(XenH.DomidFirstReserved, 1, 1));
        Assert.Empty(recorder.Sent);
    }

    [Fact]
    public async Task Open_connects_to_the_socket_named_by_XENSTORED_PATH()
    {
        string? before = Environment.GetEnvironmentVariable(XsUnixSocketTransport.PathVariable);
        Environment.SetEnvironmentVariable(XsUnixSocketTransport.PathVariable, store.SocketPath);
        try
        {
            using var client = XenStoreClient.Open();
            Assert.Equal(store.SocketPath, client.TransportName);
            Assert.Equal(0u, client.DomainId);
            Assert.Equal("/local/domain/0", await client.GetHomePathAsync());
        }
        finally
        {
            Environment.SetEnvironmentVariable(XsUnixSocketTransport.PathVariable, before);
        }
    }

    [Fact]
    public void A_missing_socket_is_a_connection_error_naming_it()
    {
        var e = Assert.Throws<XsConnectionException>(() => XsUnixSocketTransport.Connect("/nonexistent/xenstored/socket"));
        Assert.Contains("/nonexistent/xenstored/socket", e.Message);
    }

    [Fact]
    public async Task A_server_that_goes_away_fails_outstanding_and_later_requests()
    {
        var server = new XenStoreServer();
        string directory = Directory.CreateTempSubdirectory("xsc-gone-").FullName;
        var listener = new Xen.XenStore.Server.Transport.XsUnixSocketServer(server, Path.Combine(directory, "socket"));
        listener.Start();
        using var client = new XenStoreClient(XsUnixSocketTransport.Connect(listener.Path));
        await using var watch = await client.WatchAsync("/w");
        Assert.Equal("/w", (await watch.NextAsync()).Path);
        await listener.DisposeAsync();
        Directory.Delete(directory, true);
        var e = await Assert.ThrowsAnyAsync<Exception>(() => client.Completion.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.IsAssignableFrom<XsConnectionException>(e);
        Assert.Contains("closed by the server", e.Message);
        await Assert.ThrowsAsync<XsConnectionException>(() => client.ReadAsync("/w"));
        await Assert.ThrowsAsync<XsConnectionException>(() => watch.NextAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task Inline_completions_serve_concurrent_requests_watches_and_transactions()
    {
        using var client = store.Connect(new XenStoreClientOptions { InlineCompletions = true });
        await Task.WhenAll(Enumerable.Range(0, 100).Select(i => client.WriteAsync($"/inline/{i}", $"{i}")));
        var values = await Task.WhenAll(Enumerable.Range(0, 100).Select(i => client.ReadStringAsync($"/inline/{i}")));
        Assert.Equal(Enumerable.Range(0, 100).Select(i => $"{i}"), values);
        await using var watch = await client.WatchAsync("/inline/0");
        Assert.Equal("/inline/0", (await watch.NextAsync()).Path);
        await client.RunTransactionAsync(t => t.WriteAsync("/inline/0", "t"));
        Assert.Equal("/inline/0", (await watch.NextAsync()).Path);
    }
}
