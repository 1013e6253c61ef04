namespace Xen.XenStore.Client.Tests.Support;

/// <summary>
/// Our server reached through store pages in memory: the clients under test are guest domain 7 (unprivileged,
/// home <c>/local/domain/7</c> owned by it, as a toolstack sets it up), the admin client is dom0.
/// </summary>
public sealed class RingStoreFixture : IStoreFixture, IAsyncLifetime
{
    private readonly List<RingPair> _pairs = new();
    private RingPair? _admin;

    public XenStoreServer Server { get; } = new();

    public XenStoreClient Admin => _admin!.Client;

    public uint DomainId => 7;

    public string Home => "/local/domain/7";

    public XenStoreClient Connect(XenStoreClientOptions? options = null) => Pair(options).Client;

    /// <summary>A new page pair for domain <see cref="DomainId"/>, disposed with the fixture.</summary>
    public RingPair Pair(XenStoreClientOptions? options = null)
    {
        var pair = new RingPair(Server, DomainId, options);
        lock (_pairs) _pairs.Add(pair);
        return pair;
    }

    public async Task InitializeAsync()
    {
        _admin = new RingPair(Server, 0);
        await Admin.MkdirAsync(Home);
        await Admin.SetPermissionsAsync(Home, XsPermissions.From([new XsPermission(DomainId, XsAccess.None)]));
    }

    public Task DisposeAsync()
    {
        lock (_pairs) foreach (var pair in _pairs) pair.Dispose();
        _admin?.Dispose();
        return Task.CompletedTask;
    }
}
