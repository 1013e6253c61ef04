using System.Runtime.InteropServices;
using Xen.Linux.Devices;
using Xen.XenStore.Daemon.Dom0;
using Xen.XenStore.Server;
using Xen.XenStore.Server.Transport;

namespace Xen.XenStore.Daemon;

/// <summary>The daemon: the server on a unix socket (and with <c>--xen</c> on dom0's /dev/xen) until SIGTERM or SIGINT.</summary>
internal static class Daemon
{
    /// <summary>Serves <paramref name="socket"/>, and dom0's kernel and introduced domains when <paramref name="xen"/>, until a signal.</summary>
    /// <returns>0 after a clean stop, 1 when the socket or /dev/xen cannot be served.</returns>
    public static async Task<int> RunAsync(string socket, bool xen, bool verbose)
    {
        Action<string> log = verbose ? Log : LogImportant;
        Dom0Store? dom0 = null;
        if (xen)
        {
            try
            {
                dom0 = Dom0Store.Open(Log);
            }
            catch (XenDeviceException e)
            {
                Console.Error.WriteLine($"xenstored: --xen: {e.Message}");
                return 1;
            }
        }
        using var dom0Lifetime = dom0;
        var server = new XenStoreServer { Log = log, DomainConnector = dom0 is null ? null : dom0.ConnectGuest };
        XsUnixSocketServer listener;
        try
        {
            listener = new XsUnixSocketServer(server, socket);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Net.Sockets.SocketException)
        {
            Console.Error.WriteLine($"xenstored: cannot listen on {socket}: {e.Message}");
            return 1;
        }
        if (dom0 is not null)
        {
            try
            {
                Log(dom0.Start(server, Log));
            }
            catch (IOException e)
            {
                Console.Error.WriteLine($"xenstored: --xen: {e.Message}");
                await listener.DisposeAsync().ConfigureAwait(false);
                return 1;
            }
        }

        var stop = new TaskCompletionSource();
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        listener.Start();
        Log($"listening on {socket}");
        await stop.Task.ConfigureAwait(false);
        await listener.DisposeAsync().ConfigureAwait(false);
        Log($"stopped ({server.NodeCount} nodes)");
        return 0;

        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            Log($"{context.Signal}: stopping");
            stop.TrySetResult();
        }
    }

    private static void Log(string line) => Console.Error.WriteLine("xenstored: " + line);

    /// <summary>Without --verbose, connection churn is not logged; bad input and domain changes are.</summary>
    private static void LogImportant(string line)
    {
        if (line.EndsWith("connected", StringComparison.Ordinal) || line.EndsWith("closed by the client", StringComparison.Ordinal)) return;
        Log(line);
    }
}
