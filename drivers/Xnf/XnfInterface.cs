using Xen.Drivers.Ethernet.Xenbus;
using System.Buffers.Binary;
using System.Globalization;
using Xen.Abi.Io;
using Xen.Drivers.Ethernet.Frames;
using Xen.Services;
using Xen.Services.Xenbus;

namespace Xen.Drivers.Xnf;

/// <summary>
/// One xnf unit (xnf0): its MAC and MTU, the features both ends agreed, its queues, and its frames as an
/// <see cref="IFramePort"/>. A backend that breaks the protocol puts it into an error state (one log line); from
/// then on it sends and receives nothing, and nothing of the backend's is read again.
/// </summary>
public sealed class XnfInterface : IFramePort, IDisposable
{
    private const int EthernetAndVlanHeader = 18;
    private readonly XenDomainServices services;
    private readonly XenbusDevice device;
    private readonly XnfQueue[] queues;
    private int failed;
    private volatile bool disposing;

    private XnfInterface(XenbusDevice device, MacAddress mac, int mtu, OffloadFeatures accepts, OffloadFeatures receives, int queueCount, bool split)
    {
        services = device.Services;
        this.device = device;
        Name = device.UnitName ?? "xnf";
        Mac = mac;
        Mtu = mtu;
        Accepts = accepts;
        Receives = receives;
        MaxFrameSize = (accepts & (OffloadFeatures.TcpV4Segmentation | OffloadFeatures.TcpV6Segmentation)) != 0
            ? Netif.XenNetifMaxTxSize
            : Math.Min(mtu + EthernetAndVlanHeader, (accepts & OffloadFeatures.ScatterGather) != 0 ? Netif.XenNetifMaxTxSize : GrantedPages.XenPageSize);
        queues = new XnfQueue[queueCount];
        var backend = checked((ushort)device.BackendId);
        try
        {
            for (var i = 0; i < queueCount; i++) queues[i] = new XnfQueue(this, services, backend, i, split);
        }
        catch
        {
            foreach (var queue in queues) queue?.Dispose();
            throw;
        }
    }

    /// <inheritdoc/>
    public string Name { get; }

    /// <summary>The address from the frontend's <c>mac</c> key.</summary>
    public MacAddress Mac { get; }

    /// <summary>The backend's <c>mtu</c> (1500 when it names none).</summary>
    public int Mtu { get; }

    /// <inheritdoc/>
    public OffloadFeatures Accepts { get; }

    /// <summary>What we told the backend we take on receive.</summary>
    public OffloadFeatures Receives { get; }

    /// <inheritdoc/>
    public int MaxFrameSize { get; }

    /// <summary>How many queues were set up.</summary>
    public int QueueCount => queues.Length;

    /// <summary>Whether each queue has its own tx and rx event channels.</summary>
    public bool SplitEventChannels => queues[0].Split;

    /// <inheritdoc/>
    public FrameReceived? Received { get; set; }

    /// <summary>The reason the interface stopped, or null while it works.</summary>
    public string? Error { get; private set; }

    /// <summary>Whether the backend broke the protocol.</summary>
    public bool IsFailed => Volatile.Read(ref failed) != 0;

    /// <summary>Frames sent, frames received, frames dropped on receive, tx responses with an error status.</summary>
    public (long Sent, long Received, long Dropped, long TxErrors) Statistics
        => (queues.Sum(q => q.Tx.Frames), queues.Sum(q => q.Rx.Frames), queues.Sum(q => q.Rx.Dropped), queues.Sum(q => q.Tx.Errors));

    /// <summary>Each queue's ring indices (shared producers, events, our consumers) and ports, one line a queue, for diagnostics.</summary>
    public IReadOnlyList<string> DescribeRings() => queues.Select(q => $"q{q.Index}: {q.Tx.DescribeRing()}; {q.Rx.DescribeRing()}").ToArray();

    /// <summary>Frames sent and frames received, per queue, in queue order.</summary>
    public IReadOnlyList<(long Sent, long Received)> QueueStatistics => queues.Select(q => (q.Tx.Frames, q.Rx.Frames)).ToArray();

    /// <summary>
    /// Reads the backend's features and the MAC, grants the rings and buffers, allocates the event channels and
    /// publishes them with the frontend's features in one transaction (netfront's talk_to_netback).
    /// </summary>
    /// <exception cref="InvalidOperationException">The backend lacks <c>feature-rx-copy</c>, or the <c>mac</c> key is missing or malformed.</exception>
    internal static async Task<XnfInterface> ConnectAsync(XenbusDevice device, XnfOptions options, CancellationToken cancellationToken)
    {
        var store = device.Services.Store;
        var features = await XnfBackendFeatures.ReadAsync(store, device.Backend, cancellationToken).ConfigureAwait(false);
        if (!features.RxCopy)
            throw new InvalidOperationException($"backend {device.Backend} does not offer {NetifKeys.FeatureRxCopy}");
        var macText = await store.ReadStringAsync($"{device.FullPath}/{NetifKeys.Mac}", cancellationToken).ConfigureAwait(false);
        if (!MacAddress.TryParse(macText, out var mac))
            throw new InvalidOperationException($"{device.Path}/{NetifKeys.Mac} \"{macText}\" is not an Ethernet address");
        var sg = options.ScatterGather && features.ScatterGather;
        var csum = options.ChecksumOffload;
        var accepts = OffloadFeatures.None;
        if (sg) accepts |= OffloadFeatures.ScatterGather;
        if (csum) accepts |= OffloadFeatures.ChecksumIPv4;
        if (csum && features.Ipv6Checksum) accepts |= OffloadFeatures.ChecksumIPv6;
        if (csum && sg && options.Segmentation && features.GsoTcpV4) accepts |= OffloadFeatures.TcpV4Segmentation;
        if (csum && sg && options.Segmentation && features.GsoTcpV6 && features.Ipv6Checksum) accepts |= OffloadFeatures.TcpV6Segmentation;
        var receives = OffloadFeatures.None;
        if (options.ScatterGather) receives |= OffloadFeatures.ScatterGather;
        if (csum) receives |= OffloadFeatures.ChecksumIPv4 | OffloadFeatures.ChecksumIPv6;
        if (csum && options.ScatterGather && options.Segmentation) receives |= OffloadFeatures.TcpV4Segmentation | OffloadFeatures.TcpV6Segmentation;
        var queueCount = Math.Max(1, Math.Min(options.MaxQueues, features.MaxQueues));
        var split = options.SplitEventChannels && features.SplitEventChannels;
        var unit = new XnfInterface(device, mac, features.Mtu, accepts, receives, queueCount, split);
        try
        {
            await unit.PublishAsync(device, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            unit.Dispose();
            throw;
        }
        foreach (var queue in unit.queues) queue.Rx.Start();
        return unit;
    }

    private async Task PublishAsync(XenbusDevice device, CancellationToken cancellationToken)
    {
        static string N(long value) => value.ToString(CultureInfo.InvariantCulture);
        var path = device.FullPath;
        await services.Store.RunTransactionAsync(async t =>
        {
            if (queues.Length > 1) await t.WriteAsync($"{path}/{NetifKeys.MultiQueueNumQueues}", N(queues.Length)).ConfigureAwait(false);
            foreach (var queue in queues)
            {
                var dir = NetifKeys.QueueDirectory(path, queue.Index, queues.Length);
                await t.WriteAsync($"{dir}/{NetifKeys.TxRingRef}", N(queue.Tx.RingRef)).ConfigureAwait(false);
                await t.WriteAsync($"{dir}/{NetifKeys.RxRingRef}", N(queue.Rx.RingRef)).ConfigureAwait(false);
                if (queue.Split)
                {
                    await t.WriteAsync($"{dir}/{NetifKeys.EventChannelTx}", N(queue.Tx.Port)).ConfigureAwait(false);
                    await t.WriteAsync($"{dir}/{NetifKeys.EventChannelRx}", N(queue.Rx.Port)).ConfigureAwait(false);
                }
                else
                {
                    await t.WriteAsync($"{dir}/{NetifKeys.EventChannel}", N(queue.Tx.Port)).ConfigureAwait(false);
                }
            }
            await t.WriteAsync($"{path}/{NetifKeys.RequestRxCopy}", "1").ConfigureAwait(false);
            await t.WriteAsync($"{path}/{NetifKeys.FeatureRxNotify}", "1").ConfigureAwait(false);
            await t.WriteAsync($"{path}/{NetifKeys.FeatureSg}", Flag(OffloadFeatures.ScatterGather)).ConfigureAwait(false);
            await t.WriteAsync($"{path}/{NetifKeys.FeatureGsoTcpV4}", Flag(OffloadFeatures.TcpV4Segmentation)).ConfigureAwait(false);
            await t.WriteAsync($"{path}/{NetifKeys.FeatureGsoTcpV6}", Flag(OffloadFeatures.TcpV6Segmentation)).ConfigureAwait(false);
            await t.WriteAsync($"{path}/{NetifKeys.FeatureIpv6CsumOffload}", Flag(OffloadFeatures.ChecksumIPv6)).ConfigureAwait(false);
            await t.WriteAsync($"{path}/{NetifKeys.FeatureNoCsumOffload}", (Receives & OffloadFeatures.ChecksumIPv4) != 0 ? "0" : "1").ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);

        string Flag(OffloadFeatures feature) => (Receives & feature) != 0 ? "1" : "0";
    }

    /// <inheritdoc/>
    public bool Send(ReadOnlySpan<byte> frame, FrameOffload offload)
    {
        if (IsFailed || frame.Length > MaxFrameSize) return false;
        if (offload.ChecksumBlank && !AcceptsChecksumOf(frame)) return false;
        if (offload.Gso == GsoKind.TcpV4 && (Accepts & OffloadFeatures.TcpV4Segmentation) == 0) return false;
        if (offload.Gso == GsoKind.TcpV6 && (Accepts & OffloadFeatures.TcpV6Segmentation) == 0) return false;
        return queues[QueueOf(frame)].Tx.Send(frame, offload);
    }

    private bool AcceptsChecksumOf(ReadOnlySpan<byte> frame)
        => L4Headers.TryLocate(frame, out var l4) && (Accepts & (l4.IsIPv6 ? OffloadFeatures.ChecksumIPv6 : OffloadFeatures.ChecksumIPv4)) != 0;

    /// <summary>A flow stays on one queue: the TCP/UDP ports pick it.</summary>
    private int QueueOf(ReadOnlySpan<byte> frame)
    {
        if (queues.Length == 1 || !L4Headers.TryLocate(frame, out var l4)) return 0;
        var ports = BinaryPrimitives.ReadUInt32BigEndian(frame[l4.HeaderStart..]);
        return (int)((ports ^ (ports >> 16)) % (uint)queues.Length);
    }

    internal void Deliver(ReadOnlySpan<byte> frame, FrameOffload offload) => Received?.Invoke(frame, offload);

    internal void Notify(uint port)
    {
        try
        {
            services.EventChannels.Notify(port);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A sender racing Dispose notifies a port we have just closed: that is teardown, not the backend's fault.
            if (!disposing)
                Fail($"notify port {port}: {e.Message}");
        }
    }

    /// <summary>
    /// Enters the error state once, with one log line and the reason in the device's error node for the toolstack;
    /// senders waiting for room are woken to fail.
    /// </summary>
    internal void Fail(string reason)
    {
        if (Interlocked.Exchange(ref failed, 1) != 0) return;
        Error = reason;
        services.Log($"{Name}: backend error: {reason}; interface stopped");
        foreach (var queue in queues) queue?.Tx.WakeAll();
        _ = device.TryReportErrorAsync(Xen.Abi.XenErrno.XenEio, $"backend error: {reason}");
    }

    /// <summary>Stops the queues, closes the event channels and ends the grants.</summary>
    public void Dispose()
    {
        disposing = true;
        foreach (var queue in queues) queue?.Dispose();
    }
}
