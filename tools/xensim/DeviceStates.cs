using Xen.Abi.Io;
using Xen.Services.Xenbus;
using Xen.Simulator.Dom0;
using Xen.XenStore.Client;

namespace Xen.Simulator.Tool;

/// <summary>The xenbus states of a device's two ends, as dom0 reads them when <c>xensim run</c> stops.</summary>
internal static class DeviceStates
{
    /// <summary>
    /// Waits at most <paramref name="settle"/> for both ends of <paramref name="device"/> to reach Closed, then gives
    /// the line <c>xensim: vbd 51712: frontend Closed, backend Closed</c> with the states they are in.
    /// </summary>
    public static async Task<string> ReportAsync(XsStoreOperations store, uint domid, DeviceSpec device, TimeSpan settle)
    {
        var frontend = DevicePaths.Frontend(domid, device);
        var backend = DevicePaths.Backend(domid, device);
        var until = DateTime.UtcNow + settle;
        XenbusState front, back;
        while (true)
        {
            front = await XenbusStates.ReadAsync(store, frontend);
            back = await XenbusStates.ReadAsync(store, backend);
            if ((front, back) == (XenbusState.XenbusStateClosed, XenbusState.XenbusStateClosed) || DateTime.UtcNow >= until)
                break;
            await Task.Delay(20);
        }
        return $"xensim: {device.Kind} {device.DeviceId}: frontend {XenbusStates.NameOf(front)}, backend {XenbusStates.NameOf(back)}";
    }
}
