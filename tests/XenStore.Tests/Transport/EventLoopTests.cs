using System.Diagnostics;
using Xen.XenStore.Tests.Support;
using T = Xen.Abi.Io.XsdSockmsgType;

namespace Xen.XenStore.Tests.Transport;

/// <summary>Thread counts are measured alone: no other test runs meanwhile.</summary>
[CollectionDefinition(nameof(EventLoopTests), DisableParallelization = true)]
public sealed class EventLoopCollection;

/// <summary>
/// The server holds a thousand clients without a thread per client: socket clients on .NET's socket event loop,
/// ring clients on pool work items. The process's thread count may grow by what the pool decides, not by client.
/// </summary>
[Collection(nameof(EventLoopTests))]
public class EventLoopTests
{
    private const int Clients = 1000;

    /// <summary>Generous against the pool's own growth; a thread per client would add a thousand.</summary>
    private const int MaxNewThreads = 40;

    [Fact]
    public async Task AThousandSocketClientsAddNoThreadPerClient()
    {
        await using var fixture = new SocketServerFixture();
        int before = ThreadCount();
        var clients = new List<SocketClient>();
        try
        {
            for (int i = 0; i < Clients; i++)
            {
                var client = new SocketClient(fixture.SocketPath);
                clients.Add(client);
                Assert.Equal((T.XsWatch, "OK\0"), client.Call(T.XsWatch, "/all", $"c{i}"));
                Assert.Equal(T.XsWatchEvent, (T)client.Receive().Header.Type);
            }
            using (var writer = new SocketClient(fixture.SocketPath)) writer.Call(T.XsWrite, "/all", "1"u8.ToArray());
            foreach (var client in clients) Assert.Equal(T.XsWatchEvent, (T)client.Receive().Header.Type);
            int added = ThreadCount() - before;
            Assert.True(added < MaxNewThreads, $"{Clients} socket clients added {added} threads");
        }
        finally
        {
            foreach (var client in clients) client.Dispose();
        }
    }

    [Fact]
    public void AThousandRingClientsAddNoThreadPerClient()
    {
        var server = new XenStoreServer();
        var dom0 = new DirectClient(server, 0);
        dom0.Write("/all", "0");
        dom0.SetPerms("/all", "r0"); // owned by dom0, readable by every guest
        int before = ThreadCount();
        var guests = new List<RingGuest>();
        try
        {
            for (uint domain = 1; domain <= Clients; domain++)
            {
                var guest = new RingGuest(server, domain);
                guests.Add(guest);
                Assert.Equal((T.XsWatch, "OK\0"), guest.Call(T.XsWatch, 0, "/all", "g"));
                guest.NextEvent(TimeSpan.FromSeconds(10));
            }
            dom0.Write("/all", "1"); // each guest's event is sent from the pool, not from a thread of its own
            foreach (var guest in guests) Assert.Equal(("/all", "g"), guest.NextEvent(TimeSpan.FromSeconds(10)));
            int added = ThreadCount() - before;
            Assert.True(added < MaxNewThreads, $"{Clients} ring clients added {added} threads");
        }
        finally
        {
            foreach (var guest in guests) guest.Dispose();
        }
    }

    private static int ThreadCount()
    {
        using var self = Process.GetCurrentProcess();
        return self.Threads.Count;
    }
}
