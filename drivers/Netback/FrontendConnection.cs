using System.Globalization;
using Xen.Drivers.Ethernet.Frames;
using Xen.Drivers.Ethernet.Xenbus;
using Xen.XenStore.Client;

namespace Xen.Drivers.Netback;

/// <summary>One queue's rings and event channels as the frontend published them.</summary>
internal readonly record struct QueueKeys(uint TxRingRef, uint RxRingRef, uint TxPort, uint RxPort, bool Split);

/// <summary>
/// What the frontend published (netback's connect_data_rings and read_xenbus_vif_flags): its queues' rings and
/// ports, <c>request-rx-copy</c>, and what it accepts on receive. Nothing the frontend wrote is trusted: a missing or
/// malformed key fails the connection with a message naming it.
/// </summary>
internal sealed record FrontendConnection(QueueKeys[] Queues, OffloadFeatures Receives)
{
    public static async Task<FrontendConnection> ReadAsync(XsStoreOperations store, string frontend, int maxQueues)
    {
        async Task<uint?> Number(string path)
        {
            try
            {
                var text = await store.ReadStringAsync(path).ConfigureAwait(false);
                return uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
                    ? value
                    : throw new FormatException($"{path} = \"{text}\" is not a number");
            }
            catch (XsNotFoundException)
            {
                return null;
            }
        }
        async Task<uint> Required(string path) => await Number(path).ConfigureAwait(false) ?? throw new FormatException($"{path} is missing");
        async Task<bool> Feature(string key) => await Number($"{frontend}/{key}").ConfigureAwait(false) is { } v && v != 0;

        if (!await Feature(NetifKeys.RequestRxCopy).ConfigureAwait(false))
            throw new FormatException($"{frontend}/{NetifKeys.RequestRxCopy} is not 1 (only copying receive is served)");
        var count = (int)(await Number($"{frontend}/{NetifKeys.MultiQueueNumQueues}").ConfigureAwait(false) ?? 1);
        if (count < 1 || count > maxQueues)
            throw new FormatException($"{frontend}/{NetifKeys.MultiQueueNumQueues} = {count}, not 1..{maxQueues}");
        var queues = new QueueKeys[count];
        for (var i = 0; i < count; i++)
        {
            var dir = NetifKeys.QueueDirectory(frontend, i, count);
            var tx = await Required($"{dir}/{NetifKeys.TxRingRef}").ConfigureAwait(false);
            var rx = await Required($"{dir}/{NetifKeys.RxRingRef}").ConfigureAwait(false);
            var shared = await Number($"{dir}/{NetifKeys.EventChannel}").ConfigureAwait(false);
            queues[i] = shared is { } port
                ? new QueueKeys(tx, rx, port, port, false)
                : new QueueKeys(tx, rx, await Required($"{dir}/{NetifKeys.EventChannelTx}").ConfigureAwait(false),
                    await Required($"{dir}/{NetifKeys.EventChannelRx}").ConfigureAwait(false), true);
        }
        var receives = OffloadFeatures.None;
        var sg = await Feature(NetifKeys.FeatureSg).ConfigureAwait(false);
        if (sg) receives |= OffloadFeatures.ScatterGather;
        if (!await Feature(NetifKeys.FeatureNoCsumOffload).ConfigureAwait(false))
        {
            receives |= OffloadFeatures.ChecksumIPv4;
            var v6 = await Feature(NetifKeys.FeatureIpv6CsumOffload).ConfigureAwait(false);
            if (v6) receives |= OffloadFeatures.ChecksumIPv6;
            if (sg && await Feature(NetifKeys.FeatureGsoTcpV4).ConfigureAwait(false)) receives |= OffloadFeatures.TcpV4Segmentation;
            if (sg && v6 && await Feature(NetifKeys.FeatureGsoTcpV6).ConfigureAwait(false)) receives |= OffloadFeatures.TcpV6Segmentation;
        }
        return new FrontendConnection(queues, receives);
    }
}
