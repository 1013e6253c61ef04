using System.Runtime.InteropServices;
using Xen.XenStore.Server;
using Xen.XenStore.Server.Transport;

namespace Xen.XenStore.Daemon;

/// <summary>The daemon: the server on a unix socket until SIGTERM or SIGINT.</summary>
internal static class Daemon
{
    /// <summary>Serves <paramref name="socket"/> until a signal.</summary>
    /// <returns>0 after a clean stop, 1 when the socket cannot be served.</returns>
    public static async Task<int> RunAsync(string socket, bool verbose)
    {
        var server = new XenStoreServer { Log = verbose ? Log : LogImportant };
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
