using System.Globalization;
using Xen.Drivers.Ethernet.Tap;
using Xen.Drivers.Netback;
using Xen.Services;
using Xen.XenStore.Client;

namespace Xen.BackendDaemon;

/// <summary>
/// Network interfaces: each vif served by a <see cref="NetbackDevice"/> whose frames go through a TAP named as the
/// kernel's netback names its interface (the backend's <c>vifname</c>, else <c>vif&lt;domid&gt;.&lt;devid&gt;</c>).
/// The TAP exists before the backend goes InitWait, so the toolstack's hotplug script (run after InitWait) finds it
/// and can put it on a bridge.
/// </summary>
internal sealed class VifBackends(XenDomainServices services, NetbackOptions options) : IBackendKind
{
    /// <inheritdoc/>
    public string Kind => "vif";

    /// <inheritdoc/>
    public async Task<IAsyncDisposable> StartAsync(BackendDevice device)
    {
        var store = services.Store;
        var frontend = await store.ReadStringAsync($"{device.Path}/frontend").ConfigureAwait(false);
        var idText = await store.ReadStringAsync($"{device.Path}/frontend-id").ConfigureAwait(false);
        if (!ushort.TryParse(idText, NumberStyles.None, CultureInfo.InvariantCulture, out var frontendDomain) || frontendDomain != device.FrontendDomain)
            throw new FormatException($"{device.Path}/frontend-id = \"{idText}\" is not domain {device.FrontendDomain} of the path");
        var name = await ReadOrAsync($"{device.Path}/vifname", $"vif{device.FrontendDomain}.{device.DeviceId}").ConfigureAwait(false);
        var bridge = new TapBridge(TapDevice.Create(name), services.Log);
        try
        {
            var netback = await NetbackDevice.StartAsync(services, device.Path, frontend, frontendDomain, device.DeviceId, options, d =>
            {
                d.Connected += bridge.Attach;
                d.Disconnected += bridge.Detach;
            }).ConfigureAwait(false);
            return new Serving(netback, bridge, services.Log);
        }
        catch
        {
            bridge.Dispose();
            throw;
        }
    }

    private async Task<string> ReadOrAsync(string path, string missing)
    {
        try { return await services.Store.ReadStringAsync(path).ConfigureAwait(false); }
        catch (XsNotFoundException) { return missing; }
    }

    /// <summary>The backend, then its TAP; one line with the TAP's frame counts.</summary>
    private sealed class Serving(NetbackDevice netback, TapBridge bridge, Action<string> log) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await netback.DisposeAsync().ConfigureAwait(false);
            log($"{netback.Name}: TAP frames {bridge.FramesToPort} to the guest, {bridge.FramesFromPort} from it, {bridge.FramesDropped} dropped");
            bridge.Dispose();
        }
    }
}
