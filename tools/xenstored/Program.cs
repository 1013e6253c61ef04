using System.CommandLine;

namespace Xen.XenStore.Daemon;

/// <summary>The xenstored command line: <c>xenstored [--socket PATH] [--xen] [--verbose]</c>.</summary>
public static class Program
{
    /// <summary>The socket xenstored listens on when neither <c>--socket</c> nor <c>XENSTORED_PATH</c> says otherwise.</summary>
    public const string DefaultSocket = "/var/run/xenstored/socket";

    /// <summary>Runs the daemon.</summary>
    /// <param name="args"><c>[--socket PATH] [--xen] [--verbose]</c>, or <c>--help</c>.</param>
    /// <returns>0 after a clean stop (or help), 2 for bad arguments, 1 when the socket or /dev/xen cannot be served.</returns>
    public static async Task<int> Main(string[] args)
    {
        var socket = new Option<string>("--socket", "-s")
        {
            Description = "The unix socket to serve (default: $XENSTORED_PATH, else " + DefaultSocket + ")",
            HelpName = "PATH",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable("XENSTORED_PATH") is { Length: > 0 } fromEnv ? fromEnv : DefaultSocket,
        };
        var xen = new Option<bool>("--xen")
        {
            Description = "Be a real dom0's store, as C xenstored: serve dom0's kernel (/proc/xen/xsd_kva, xsd_port) and every domain the toolstack introduces through /dev/xen (evtchn, gntdev, privcmd)",
        };
        var verbose = new Option<bool>("--verbose", "-v") { Description = "Log connections too, not only bad input and domain changes" };
        var root = new RootCommand("xenstored: the XenStore server on a unix socket (with --xen, also on dom0's /dev/xen), until SIGTERM or SIGINT") { socket, xen, verbose };
        root.SetAction((result, _) => Daemon.RunAsync(result.GetValue(socket)!, result.GetValue(xen), result.GetValue(verbose)));

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors) Console.Error.WriteLine($"xenstored: unknown argument or bad value: {error.Message} (try --help)");
            return 2;
        }
        return await parsed.InvokeAsync().ConfigureAwait(false);
    }
}
