using Xen.Drivers.Ethernet.Xenbus;
using System.Globalization;
using Xen.XenStore.Client;

namespace Xen.Drivers.Xnf;

/// <summary>What the backend offers, read once from its directory (a missing or malformed key is "not offered").</summary>
internal sealed record XnfBackendFeatures(
    bool RxCopy, bool ScatterGather, bool GsoTcpV4, bool GsoTcpV6, bool Ipv6Checksum, bool SplitEventChannels,
    int MaxQueues, int Mtu)
{
    /// <summary>Ethernet's MTU when the backend names none.</summary>
    public const int DefaultMtu = 1500;

    public static async Task<XnfBackendFeatures> ReadAsync(XsStoreOperations store, string backend, CancellationToken cancellationToken)
    {
        async Task<uint?> Number(string key)
        {
            try
            {
                var text = await store.ReadStringAsync($"{backend}/{key}", cancellationToken).ConfigureAwait(false);
                return uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;
            }
            catch (XsNotFoundException)
            {
                return null;
            }
        }
        async Task<bool> Feature(string key) => await Number(key).ConfigureAwait(false) is { } v && v != 0;
        var maxQueues = await Number(NetifKeys.MultiQueueMaxQueues).ConfigureAwait(false) ?? 1;
        var mtu = await Number(NetifKeys.Mtu).ConfigureAwait(false) ?? DefaultMtu;
        return new XnfBackendFeatures(
            await Feature(NetifKeys.FeatureRxCopy).ConfigureAwait(false),
            await Feature(NetifKeys.FeatureSg).ConfigureAwait(false),
            await Feature(NetifKeys.FeatureGsoTcpV4).ConfigureAwait(false),
            await Feature(NetifKeys.FeatureGsoTcpV6).ConfigureAwait(false),
            await Feature(NetifKeys.FeatureIpv6CsumOffload).ConfigureAwait(false),
            await Feature(NetifKeys.FeatureSplitEventChannels).ConfigureAwait(false),
            (int)Math.Clamp(maxQueues, 1u, 64u),
            (int)Math.Clamp(mtu, 68u, 65535u));
    }
}
