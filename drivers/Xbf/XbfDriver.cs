using System.Globalization;
using Xen.Abi.Io;
using Xen.Drivers.Xbf.Negotiation;
using Xen.Drivers.Xbf.Rings;
using Xen.Services.Xenbus;

namespace Xen.Drivers.Xbf;

/// <summary>
/// xbf(4), the <c>vbd</c> frontend. In <c>XenbusStateInitWait</c> it reads the backend's ring offer and publishes
/// its rings (talk_to_blkback); once the backend is Connected it reads the disk's size and features and starts the
/// disk (blkfront_connect). Register it with the probe; <see cref="Disks"/> lists the units connected.
/// </summary>
public sealed class XbfDriver(XbfOptions? options = null) : IXenbusConnectedDriver
{
    private readonly XbfOptions options = options ?? new XbfOptions();
    private readonly Dictionary<string, XbfDisk> disks = new(StringComparer.Ordinal);
    private readonly List<TaskCompletionSource<XbfDisk>> waiters = new();

    /// <inheritdoc/>
    public string Type => "vbd";

    /// <inheritdoc/>
    public string Name => "xbf";

    /// <summary>The disks, connected or not, by frontend path.</summary>
    public IReadOnlyList<XbfDisk> Disks
    {
        get
        {
            lock (disks) return disks.Values.ToArray();
        }
    }

    /// <summary>Completes with the first disk that is (or becomes) connected.</summary>
    public Task<XbfDisk> WaitForDiskAsync(CancellationToken cancellationToken = default)
    {
        lock (disks)
        {
            if (disks.Values.FirstOrDefault(d => d.State == XbfDiskState.Connected) is { } ready) return Task.FromResult(ready);
            var waiter = new TaskCompletionSource<XbfDisk>(TaskCreationOptions.RunContinuationsAsynchronously);
            waiters.Add(waiter);
            return waiter.Task.WaitAsync(cancellationToken);
        }
    }

    /// <inheritdoc/>
    public async Task ConnectAsync(XenbusDevice device, CancellationToken cancellationToken)
    {
        var services = device.Services;
        var offer = await XbfRingOffer.ReadAsync(services.Store, device.Backend, cancellationToken).ConfigureAwait(false);
        var (order, count) = offer.Choose(options);
        var backendDomain = checked((ushort)device.BackendId);
        var handle = (ushort)uint.Parse(device.Id, NumberStyles.None, CultureInfo.InvariantCulture);
        XbfDisk? disk = null;
        var queues = new List<XbfQueue>();
        try
        {
            for (var i = 0; i < count; i++)
                queues.Add(XbfQueue.Create(services, backendDomain, handle, order, reason => disk?.Fail(reason)));
            disk = new XbfDisk(device, queues.ToArray());
            await PublishAsync(device, queues, order, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            foreach (var queue in queues) queue.Dispose();
            throw;
        }
        XbfDisk? previous;
        lock (disks)
        {
            disks.Remove(device.Path, out previous);
            disks[device.Path] = disk;
        }
        previous?.Dispose();
    }

    /// <summary>The frontend's keys, in one transaction as talk_to_blkback writes them.</summary>
    private async Task PublishAsync(XenbusDevice device, IReadOnlyList<XbfQueue> queues, int order, CancellationToken cancellationToken)
    {
        var path = device.FullPath;
        await device.Services.Store.RunTransactionAsync(async t =>
        {
            if (order > 0) await t.WriteAsync($"{path}/ring-page-order", XenbusKeys.Decimal((ulong)order)).ConfigureAwait(false);
            if (queues.Count == 1)
            {
                await WriteQueueAsync(t, path, queues[0]).ConfigureAwait(false);
            }
            else
            {
                await t.WriteAsync($"{path}/multi-queue-num-queues", XenbusKeys.Decimal((ulong)queues.Count)).ConfigureAwait(false);
                for (var i = 0; i < queues.Count; i++)
                    await WriteQueueAsync(t, $"{path}/queue-{i}", queues[i]).ConfigureAwait(false);
            }
            await t.WriteAsync($"{path}/protocol", Protocols.XenIoProtoAbiNative).ConfigureAwait(false);
            await t.WriteAsync($"{path}/feature-persistent", options.Persistent ? "1" : "0").ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
    }

    private static async Task WriteQueueAsync(Xen.XenStore.Client.XsTransaction t, string directory, XbfQueue queue)
    {
        var refs = queue.RingReferences;
        if (refs.Count == 1)
        {
            await t.WriteAsync($"{directory}/ring-ref", XenbusKeys.Decimal(refs[0])).ConfigureAwait(false);
        }
        else
        {
            for (var i = 0; i < refs.Count; i++)
                await t.WriteAsync($"{directory}/ring-ref{i}", XenbusKeys.Decimal(refs[i])).ConfigureAwait(false);
        }
        await t.WriteAsync($"{directory}/event-channel", XenbusKeys.Decimal(queue.Port)).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task BackendConnectedAsync(XenbusDevice device, CancellationToken cancellationToken)
    {
        XbfDisk? disk;
        lock (disks) disks.TryGetValue(device.Path, out disk);
        if (disk is null) throw new InvalidOperationException($"{device.Path}: the backend connected before the rings were published");
        var info = await XbfDiskInfo.ReadAsync(device.Services.Store, device.Backend, cancellationToken).ConfigureAwait(false);
        disk.Start(info, options, options.Persistent);
        TaskCompletionSource<XbfDisk>[] ready;
        lock (disks)
        {
            ready = waiters.ToArray();
            waiters.Clear();
        }
        foreach (var waiter in ready) waiter.TrySetResult(disk);
    }

    /// <inheritdoc/>
    public Task DisconnectAsync(XenbusDevice device)
    {
        XbfDisk? disk;
        lock (disks) disks.Remove(device.Path, out disk);
        disk?.Dispose();
        return Task.CompletedTask;
    }
}
