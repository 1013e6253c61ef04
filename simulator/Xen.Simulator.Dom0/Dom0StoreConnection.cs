using System.Runtime.InteropServices;
using Xen.Abi.Io;
using Xen.XenStore.Client.Transports;
using Xen.XenStore.Server.Transport;

namespace Xen.Simulator.Dom0;

/// <summary>
/// dom0's own client connection to its xenstored, for the toolstack and backends: a store page in process memory
/// with both ends attached, as a dom0 kernel's xenbus talks to a local xenstored (the unix socket serves the same
/// server for other dom0 programs).
/// </summary>
internal sealed unsafe class Dom0StoreConnection : IDisposable
{
    private readonly XenstoreDomainInterface* page;
    private readonly XsRingServerConnection serverEnd;

    public Dom0StoreConnection(XenStoreServer server)
    {
        page = (XenstoreDomainInterface*)NativeMemory.AllocZeroed((nuint)Environment.SystemPageSize);
        XsRingServerConnection? end = null;
        var transport = new XsRingTransport(page, () => end?.Notify(), 0, "dom0 store page");
        serverEnd = end = new XsRingServerConnection(server, 0, page, transport.Notify);
        Client = new XenStoreClient(transport);
    }

    public XenStoreClient Client { get; }

    public void Dispose()
    {
        Client.Dispose();
        serverEnd.Dispose();
        NativeMemory.Free(page);
    }
}
