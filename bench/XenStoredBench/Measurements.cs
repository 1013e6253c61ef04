using System.Diagnostics;
using System.Text;
using Xen.Abi.Io;

namespace XenGen.Bench.XenStored;

/// <summary>What one round measures of one daemon.</summary>
internal sealed record Measurement(long IdleKiB, long LoadedKiB, int Connections, double OpsPerSecond)
{
    public double PerConnectionKiB => (double)(LoadedKiB - IdleKiB) / Connections;
}

internal static class Measurements
{
    /// <summary>Idle memory, memory with <paramref name="connections"/> idle clients (each made one request, so it is served), then throughput of <paramref name="clients"/> clients.</summary>
    public static Measurement Run(DaemonUnderTest daemon, int connections, int clients, int opsPerClient)
    {
        Thread.Sleep(500);
        long idle = daemon.ResidentKiB();
        var idleClients = new List<WireClient>(connections);
        var probe = WireClient.Frame(XsdSockmsgType.XsRead, "/tool/xenstored\0"u8);
        try
        {
            for (int i = 0; i < connections; i++)
            {
                var client = new WireClient(daemon.SocketPath);
                idleClients.Add(client);
                client.Call(probe);
            }
            Thread.Sleep(500);
            long loaded = daemon.ResidentKiB();
            foreach (var client in idleClients) client.Dispose();
            idleClients.Clear();
            return new Measurement(idle, loaded, connections, Throughput(daemon, clients, opsPerClient));
        }
        finally
        {
            foreach (var client in idleClients) client.Dispose();
        }
    }

    /// <summary>Each client writes its own node and reads it back, alternately, one request outstanding; requests per second over all.</summary>
    private static double Throughput(DaemonUnderTest daemon, int clients, int opsPerClient)
    {
        using var start = new Barrier(clients + 1);
        var threads = new List<Thread>();
        Exception? failure = null;
        for (int c = 0; c < clients; c++)
        {
            int id = c;
            var thread = new Thread(() =>
            {
                try
                {
                    using var client = new WireClient(daemon.SocketPath);
                    var write = WireClient.Frame(XsdSockmsgType.XsWrite, Encoding.ASCII.GetBytes($"/bench/{id}\0value-{id}"));
                    var read = WireClient.Frame(XsdSockmsgType.XsRead, Encoding.ASCII.GetBytes($"/bench/{id}\0"));
                    client.Call(write);
                    start.SignalAndWait();
                    for (int i = 0; i < opsPerClient; i++)
                    {
                        uint type = client.Call(i % 2 == 0 ? write : read);
                        if (type == (uint)XsdSockmsgType.XsError) throw new InvalidOperationException($"{daemon.Name}: error reply");
                    }
                }
                catch (Exception e)
                {
                    failure = e;
                    start.RemoveParticipant();
                }
            }) { IsBackground = true };
            threads.Add(thread);
            thread.Start();
        }
        start.SignalAndWait();
        var clock = Stopwatch.StartNew();
        foreach (var thread in threads) thread.Join();
        clock.Stop();
        if (failure is not null) throw new InvalidOperationException($"{daemon.Name}: a client failed", failure);
        return clients * (double)opsPerClient / clock.Elapsed.TotalSeconds;
    }
}
