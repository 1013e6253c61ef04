using Xen.XenStore.Server.Transport;

namespace Xen.XenStore.Tests.Support;

/// <summary>Our server on a unix socket in a fresh temporary directory; disposed (socket removed) after the test.</summary>
internal sealed class SocketServerFixture : IAsyncDisposable
{
    private readonly string _directory;

    public SocketServerFixture(XsQuotas? quotas = null)
    {
        _directory = Directory.CreateTempSubdirectory("xenstore-test-").FullName;
        SocketPath = Path.Combine(_directory, "socket");
        Server = new XenStoreServer(quotas) { Log = line => Log.Add(line) };
        Listener = new XsUnixSocketServer(Server, SocketPath);
        Listener.Start();
    }

    public string SocketPath { get; }

    public XenStoreServer Server { get; }

    public XsUnixSocketServer Listener { get; }

    public System.Collections.Concurrent.ConcurrentBag<string> Log { get; } = new();

    public async ValueTask DisposeAsync()
    {
        await Listener.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }
}
