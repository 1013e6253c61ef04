using Xen.Abi.Io;
using System.Runtime.InteropServices;
using Xen.XenStore.Client.Transports;
using Xen.XenStore.Server.Transport;

namespace Xen.GuestAgent.Tests.Support;

/// <summary>
/// Our server in process with a guest's store pages in memory: clients of guest domain 7 (home
/// <c>/local/domain/7</c>, owned by it as a toolstack sets it up) and a dom0 admin client acting as the toolstack.
/// </summary>
internal sealed class GuestStore : IAsyncDisposable
{
    public const uint DomainId = 7;
    public const string Home = "/local/domain/7";

    private readonly List<Pair> _pairs = new();

    private GuestStore()
    {
        Admin = Connect(0);
    }

    public XenStoreServer Server { get; } = new();

    public XenStoreClient Admin { get; }

    public static async Task<GuestStore> CreateAsync()
    {
        var store = new GuestStore();
        await store.Admin.MkdirAsync(Home);
        await store.Admin.SetPermissionsAsync(Home, XsPermissions.From([new XsPermission(DomainId, XsAccess.None)]));
        return store;
    }

    /// <summary>A new connection of the guest (what the agent's connect callback returns).</summary>
    public XenStoreClient Guest() => Connect(DomainId);

    private unsafe XenStoreClient Connect(uint domainId)
    {
        var page = (XenstoreDomainInterface*)NativeMemory.AllocZeroed((nuint)Environment.SystemPageSize);
        XsRingServerConnection? serverEnd = null;
        var transport = new XsRingTransport(page, () => serverEnd?.Notify(), domainId, $"ring page of domain {domainId}");
        serverEnd = new XsRingServerConnection(Server, domainId, page, transport.Notify);
        var client = new XenStoreClient(transport);
        lock (_pairs) _pairs.Add(new Pair(domainId, client, serverEnd, (nint)page));
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        Pair[] pairs;
        lock (_pairs) pairs = _pairs.ToArray();
        foreach (var pair in pairs)
        {
            await pair.Client.DisposeAsync();
            pair.Server.Dispose();
            unsafe { NativeMemory.Free((void*)pair.Page); }
        }
    }

    private sealed record Pair(uint DomainId, XenStoreClient Client, XsRingServerConnection Server, nint Page);
}
