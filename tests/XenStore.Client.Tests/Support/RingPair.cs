using System.Runtime.InteropServices;
using Xen.XenStore.Server.Transport;

namespace Xen.XenStore.Client.Tests.Support;

/// <summary>
/// A store page in memory with both ends attached: our server's <see cref="XsRingServerConnection"/> and a client
/// on an <see cref="XsRingTransport"/>, each end's event-channel notification calling the other's handler.
/// </summary>
public sealed class RingPair : IDisposable
{
    private readonly XsRingServerConnection _serverEnd;

    public unsafe RingPair(XenStoreServer server, uint domainId, XenStoreClientOptions? options = null)
    {
        _page = (XenstoreDomainInterface*)NativeMemory.AllocZeroed((nuint)Environment.SystemPageSize);
        XsRingServerConnection? serverEnd = null;
        Transport = new XsRingTransport(_page, () => serverEnd?.Notify(), domainId, $"ring page of domain {domainId}");
        _serverEnd = serverEnd = new XsRingServerConnection(server, domainId, _page, Transport.Notify);
        Client = new XenStoreClient(Transport, options);
    }

    private readonly unsafe XenstoreDomainInterface* _page;

    /// <summary>The shared page's fields.</summary>
    public unsafe ref XenstoreDomainInterface Shared => ref *_page;

    public XsRingTransport Transport { get; }

    public XenStoreClient Client { get; }

    public XsRingServerConnection ServerEnd => _serverEnd;

    public unsafe void Dispose()
    {
        Client.Dispose();
        _serverEnd.Dispose();
        NativeMemory.Free(_page);
    }
}
