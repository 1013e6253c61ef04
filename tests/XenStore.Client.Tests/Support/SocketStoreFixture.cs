using Xen.XenStore.Server.Transport;

namespace Xen.XenStore.Client.Tests.Support;

/// <summary>Our server on a unix socket in a temporary directory; clients are dom0, as every socket client is.</summary>
public sealed class SocketStoreFixture : IStoreFixture, IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("xsc-").FullName;
    private XsUnixSocketServer? _listener;
    private XenStoreClient? _admin;

    public XenStoreServer Server { get; } = new();

    public string SocketPath => Path.Combine(_directory, "socket");

    public XenStoreClient Admin => _admin!;

    public uint DomainId => 0;

    public string Home => "/local/domain/0";

    public XenStoreClient Connect(XenStoreClientOptions? options = null) => new(XsUnixSocketTransport.Connect(SocketPath), options);

    public async Task InitializeAsync()
    {
        _listener = new XsUnixSocketServer(Server, SocketPath);
        _listener.Start();
        _admin = Connect();
        await _admin.MkdirAsync(Home);
    }

    public async Task DisposeAsync()
    {
        _admin?.Dispose();
        if (_listener is not null) await _listener.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }
}
