using Xen.XenStore.Client.Tests.Support;

namespace Xen.XenStore.Client.Tests.Transports;

/// <summary>A scripted server that answers wrongly: each malformed reply is reported, not mistaken for data.</summary>
public sealed class MalformedReplyTests
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Replies_are_matched_by_request_id_even_out_of_order()
    {
        using var fake = new FakeSocketServer();
        var reads = Enumerable.Range(0, 3).Select(i => fake.Client.GetDomainPathAsync((uint)i)).ToArray();
        var requests = new List<XsdSockmsg>();
        for (int i = 0; i < 3; i++) requests.Add((await fake.ReceiveRequestAsync()).Header);
        foreach (var request in Enumerable.Reverse(requests))
        {
            await fake.SendAsync(FakeSocketServer.Frame(XsdSockmsgType.XsGetDomainPath, request.ReqId, $"/reply/to/{request.ReqId}"));
        }
        var paths = await Task.WhenAll(reads).WaitAsync(s_wait);
        Assert.Equal(requests.Select(r => $"/reply/to/{r.ReqId}"), paths);
        Assert.Equal(3, requests.Select(r => r.ReqId).Distinct().Count());
    }

    [Fact]
    public async Task A_reply_to_no_outstanding_request_breaks_the_connection()
    {
        using var fake = new FakeSocketServer();
        var read = fake.Client.ReadAsync("/a");
        var (header, _) = await fake.ReceiveRequestAsync();
        await fake.SendAsync(FakeSocketServer.Frame(XsdSockmsgType.XsRead, header.ReqId + 1000, "x"));
        var e = await Assert.ThrowsAsync<XsProtocolException>(() => read.WaitAsync(s_wait));
        Assert.Contains("not outstanding", e.Message);
        await Assert.ThrowsAsync<XsConnectionException>(() => fake.Client.ReadAsync("/a"));
    }

    [Fact]
    public async Task An_error_name_missing_from_the_error_table_is_a_protocol_error()
    {
        using var fake = new FakeSocketServer();
        var read = fake.Client.ReadAsync("/a");
        var (header, _) = await fake.ReceiveRequestAsync();
        await fake.SendAsync(FakeSocketServer.Frame(XsdSockmsgType.XsError, header.ReqId, "EWHATEVER"));
        var e = await Assert.ThrowsAsync<XsProtocolException>(() => read.WaitAsync(s_wait));
        Assert.Contains("EWHATEVER", e.Message);
    }

    [Fact]
    public async Task Known_error_names_become_typed_exceptions()
    {
        using var fake = new FakeSocketServer();
        foreach (var (name, type) in new[] { ("EACCES", typeof(XsPermissionDeniedException)), ("ENOSPC", typeof(XsLimitExceededException)), ("EROFS", typeof(XsErrorException)) })
        {
            var read = fake.Client.ReadAsync("/a");
            var (header, _) = await fake.ReceiveRequestAsync();
            await fake.SendAsync(FakeSocketServer.Frame(XsdSockmsgType.XsError, header.ReqId, name));
            var e = await Assert.ThrowsAnyAsync<XsErrorException>(() => read.WaitAsync(s_wait));
            Assert.Equal(type, e.GetType());
            Assert.Equal(name, e.Error.Name);
            Assert.True(XsdErrorsTable.TryFindByErrstring(name, out var row));
            Assert.Equal(row.Errnum, e.Error.Errnum);
        }
    }

    [Fact]
    public async Task Replies_of_the_wrong_type_or_shape_are_reported()
    {
        using var fake = new FakeSocketServer();
        var write = fake.Client.WriteAsync("/a", "1");
        var (header, _) = await fake.ReceiveRequestAsync();
        await fake.SendAsync(FakeSocketServer.Frame(XsdSockmsgType.XsRead, header.ReqId, "OK"));
        Assert.Contains("type", (await Assert.ThrowsAsync<XsProtocolException>(() => write.WaitAsync(s_wait))).Message);

        var start = fake.Client.StartTransactionAsync();
        (header, _) = await fake.ReceiveRequestAsync();
        await fake.SendAsync(FakeSocketServer.Frame(XsdSockmsgType.XsTransactionStart, header.ReqId, "twelve"));
        Assert.Contains("malformed", (await Assert.ThrowsAsync<XsProtocolException>(() => start.WaitAsync(s_wait))).Message);

        var mkdir = fake.Client.MkdirAsync("/a");
        (header, _) = await fake.ReceiveRequestAsync();
        await fake.SendAsync(FakeSocketServer.Frame(XsdSockmsgType.XsMkdir, header.ReqId, "KO"));
        Assert.Contains("not OK", (await Assert.ThrowsAsync<XsProtocolException>(() => mkdir.WaitAsync(s_wait))).Message);

        var introduced = fake.Client.IsDomainIntroducedAsync(3);
        (header, _) = await fake.ReceiveRequestAsync();
        await fake.SendAsync(FakeSocketServer.Frame(XsdSockmsgType.XsIsDomainIntroduced, header.ReqId, "maybe"));
        await Assert.ThrowsAsync<XsProtocolException>(() => introduced.WaitAsync(s_wait));

        // These were faults of single replies: the connection still works.
        var read = fake.Client.GetDomainPathAsync(1);
        (header, _) = await fake.ReceiveRequestAsync();
        await fake.SendAsync(FakeSocketServer.Frame(XsdSockmsgType.XsGetDomainPath, header.ReqId, "/local/domain/1"));
        Assert.Equal("/local/domain/1", await read.WaitAsync(s_wait));
    }

    [Fact]
    public async Task An_oversized_header_or_a_malformed_watch_event_breaks_the_connection()
    {
        using (var fake = new FakeSocketServer())
        {
            var read = fake.Client.ReadAsync("/a");
            var (header, _) = await fake.ReceiveRequestAsync();
            var oversized = new byte[XsHeader.Size];
            XsHeader.Write(oversized, XsHeader.Create(XsdSockmsgType.XsRead, header.ReqId, 0, XsHeader.PayloadMax + 1));
            await fake.SendAsync(oversized);
            Assert.Contains("XENSTORE_PAYLOAD_MAX", (await Assert.ThrowsAsync<XsProtocolException>(() => read.WaitAsync(s_wait))).Message);
        }
        using (var fake = new FakeSocketServer())
        {
            var read = fake.Client.ReadAsync("/a");
            await fake.ReceiveRequestAsync();
            var unterminated = FakeSocketServer.Frame(XsdSockmsgType.XsWatchEvent, 0, "/path-without-token");
            await fake.SendAsync(unterminated);
            Assert.Contains("XS_WATCH_EVENT", (await Assert.ThrowsAsync<XsProtocolException>(() => read.WaitAsync(s_wait))).Message);
        }
    }

    [Fact]
    public async Task A_cancelled_request_gives_up_and_its_late_reply_is_dropped()
    {
        using var fake = new FakeSocketServer();
        using var cancel = new CancellationTokenSource();
        var read = fake.Client.ReadAsync("/slow", cancel.Token);
        var (late, _) = await fake.ReceiveRequestAsync();
        cancel.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => read);
        await fake.SendAsync(FakeSocketServer.Frame(XsdSockmsgType.XsRead, late.ReqId, "late"));
        var next = fake.Client.GetDomainPathAsync(2);
        var (header, _) = await fake.ReceiveRequestAsync();
        Assert.NotEqual(late.ReqId, header.ReqId);
        await fake.SendAsync(FakeSocketServer.Frame(XsdSockmsgType.XsGetDomainPath, header.ReqId, "/local/domain/2"));
        Assert.Equal("/local/domain/2", await next.WaitAsync(s_wait));
    }
}
