using Xen.Drivers.Blkback;
using Xen.Services;

namespace Xen.BackendDaemon;

/// <summary>Disks: each vbd served by a <see cref="BlkbackDevice"/> on the file its <c>params</c> names.</summary>
internal sealed class VbdBackends(XenDomainServices services, string kind, BlkbackOptions options) : IBackendKind
{
    /// <inheritdoc/>
    public string Kind => kind;

    /// <inheritdoc/>
    public async Task<IAsyncDisposable> StartAsync(BackendDevice device)
        => await BlkbackDevice.StartAsync(services, device.Path, options).ConfigureAwait(false);
}
