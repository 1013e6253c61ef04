using System.Net.Sockets;
using Xen.Drivers.Xbf.Block;

namespace Xen.Simulator.Tool.Nbd;

/// <summary>
/// A small NBD server on a unix socket exporting one <see cref="IBlockDevice"/> (any export name): fixed newstyle
/// handshake with <c>NBD_OPT_GO</c>, <c>NBD_OPT_INFO</c>, <c>NBD_OPT_EXPORT_NAME</c>, <c>NBD_OPT_LIST</c> and
/// <c>NBD_OPT_ABORT</c>; simple replies to READ, WRITE (with FUA), FLUSH, TRIM and DISC, many requests in flight.
/// </summary>
internal sealed class NbdServer : IAsyncDisposable
{
    private readonly Socket listener;
    private readonly CancellationTokenSource stop = new();
    private readonly Task accepting;
    private readonly List<Task> connections = new();
    private readonly Action<string> log;

    public NbdServer(string path, IBlockDevice device, string name, Action<string> log)
    {
        Path = path;
        Device = device;
        Name = name;
        this.log = log;
        if (File.Exists(path)) File.Delete(path);
        listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(path));
        listener.Listen(16);
        accepting = AcceptAsync();
    }

    public string Path { get; }

    public IBlockDevice Device { get; }

    /// <summary>The export's name in <c>NBD_OPT_LIST</c>.</summary>
    public string Name { get; }

    private async Task AcceptAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            Socket client;
            try { client = await listener.AcceptAsync(stop.Token); }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException) { return; }
            var connection = new NbdConnection(client, this, log);
            lock (connections) connections.Add(connection.ServeAsync(stop.Token));
        }
    }

    public async ValueTask DisposeAsync()
    {
        stop.Cancel();
        listener.Dispose();
        try { await accepting; } catch (Exception) { }
        Task[] serving;
        lock (connections) serving = connections.ToArray();
        try { await Task.WhenAll(serving).WaitAsync(TimeSpan.FromSeconds(10)); } catch (Exception) { }
        try { File.Delete(Path); } catch (IOException) { }
    }
}
