using System.Runtime.InteropServices;
using Xen.XenStore.Server;
using Xen.XenStore.Server.Transport;

namespace Xen.XenStore.Daemon;

/// <summary>The xenstored command line.</summary>
public static class Program
{
    /// <summary>The socket xenstored listens on when neither <c>--socket</c> nor <c>XENSTORED_PATH</c> says otherwise.</summary>
    public const string DefaultSocket = "/var/run/xenstored/socket";

    /// <summary>Runs the daemon.</summary>
    /// <param name="args"><c>[--socket PATH] [--verbose]</c>.</param>
    /// <returns>0 after a clean stop, 2 for bad arguments, 1 when the socket cannot be served.</returns>
    public static async Task<int> Main(string[] args)
    {
        string socket = Environment.GetEnvironmentVariable("XENSTORED_PATH") is { Length: > 0 } fromEnv ? fromEnv : DefaultSocket;
        bool verbose = false;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--socket" or "-s" when i + 1 < args.Length:
                    socket = args[++i];
                    break;
                case "--verbose" or "-v":
                    verbose = true;
                    break;
                case "--help" or "-h":
                    Console.WriteLine("usage: xenstored [--socket PATH] [--verbose]\n  PATH defaults to $XENSTORED_PATH, else " + DefaultSocket);
                    return 0;
                default:
                    Console.Error.WriteLine($"xenstored: unknown argument '{args[i]}' (try --help)");
                    return 2;
            }
        }

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
