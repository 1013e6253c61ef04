using Xen.XenStore.Tests.Support;
using T = Xen.Abi.Io.XsdSockmsgType;

namespace Xen.XenStore.Tests.Server;

/// <summary>A handler or a domain connector that throws leaves nothing behind, and the connector runs outside the server's lock.</summary>
public class ExceptionSafetyTests
{
    private sealed class Handle(Action dispose) : IDisposable
    {
        public void Dispose() => dispose();
    }

    private static void Process(XenStoreServer server, XsConnection connection, byte[] frame)
    {
        XsFrame.TryDecode(frame, out var header, out var payload, out _);
        server.Process(connection, header, payload);
    }

    private static void Drain(XsConnection connection)
    {
        while (connection.TryDequeue(out var frame)) frame.Dispose();
    }

    [Fact]
    public void A_throwing_connector_answers_an_error_and_leaks_nothing()
    {
        long before = XsMessageBuffer.OutstandingOnThisThread;
        var server = new XenStoreServer { DomainConnector = _ => throw new IOException("cannot map the store page") };
        var dom0 = new DirectClient(server, 0);
        var watcher = new DirectClient(server, 0);
        watcher.Watch("@introduceDomain", "i");
        watcher.TakeEvents();

        Assert.Equal("EIO", dom0.ErrorOf(T.XsIntroduce, 0, "7", "4096", "3"));
        Assert.Equal("F", DirectClient.Strings(dom0.Call(T.XsIsDomainIntroduced, 0, "7"))[0]);
        Assert.Empty(watcher.TakeEvents());
        dom0.Write("/still/serving", "yes");
        Assert.Equal("yes", dom0.Read("/still/serving"));
        Assert.Equal("EIO", dom0.ErrorOf(T.XsIntroduce, 0, "7", "4096", "3"));

        Drain(dom0.Connection);
        Drain(watcher.Connection);
        Assert.Equal(before, XsMessageBuffer.OutstandingOnThisThread);
    }

    [Fact]
    public void A_throwing_handler_returns_its_reply_buffer_and_leaves_no_watch_event_pending()
    {
        long before = XsMessageBuffer.OutstandingOnThisThread;
        var server = new XenStoreServer();
        var watcher = new DirectClient(server, 0);
        watcher.Watch("/x", "t");
        watcher.TakeEvents();

        server.BeforeDispatch = _ => throw new InvalidOperationException("handler fault");
        Assert.Throws<InvalidOperationException>(() => Process(server, watcher.Connection, Frames.Build(T.XsRead, 1, 0, "/x")));
        server.BeforeDispatch = null;

        // A fault after the change was recorded (the transport's wake-up throws): its event must not leak into the next request.
        bool fault = true;
        var faulty = server.Connect(0, "faulty transport", () =>
        {
            if (fault) { fault = false; throw new InvalidOperationException("wake-up fault"); }
        });
        Assert.Throws<InvalidOperationException>(() => Process(server, faulty, Frames.Build(T.XsWrite, 2, 0, "/x", "v"u8.ToArray())));
        watcher.Read("/x");
        Assert.Empty(watcher.TakeEvents());

        Drain(faulty);
        Drain(watcher.Connection);
        Assert.Equal(before, XsMessageBuffer.OutstandingOnThisThread);
    }

    [Fact]
    public void The_connector_runs_outside_the_lock_and_may_call_the_server_from_another_thread()
    {
        XenStoreServer server = null!;
        bool? lockHeld = null;
        XsConnection? guest = null;
        server = new XenStoreServer
        {
            DomainConnector = introduction =>
            {
                lockHeld = server.IsLockHeld;
                // Under the lock this would deadlock: another thread connects the guest and asks about it.
                var connecting = Task.Run(() =>
                {
                    guest = server.Connect(introduction.DomainId, "ring", () => { });
                    return server.IsDomainIntroduced(introduction.DomainId);
                });
                Assert.True(connecting.Wait(TimeSpan.FromSeconds(10)), "the connector's call into the server deadlocked");
                return new Handle(() => { });
            },
        };
        var dom0 = new DirectClient(server, 0);
        dom0.Call(T.XsIntroduce, 0, "9", "1", "1");
        Assert.False(lockHeld);
        Assert.NotNull(guest);
        dom0.Call(T.XsRelease, 0, "9");
        Assert.True(guest!.IsClosed);
    }
}
