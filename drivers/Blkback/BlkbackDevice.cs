using System.Globalization;
using Xen.Abi.Io;
using Xen.Drivers.Blkback.Rings;
using Xen.Drivers.Blkback.Storage;
using Xen.Services;
using Xen.Services.Xenbus;
using Xen.XenStore.Client;
using Xen.XenStore.Protocol;

namespace Xen.Drivers.Blkback;

/// <summary>
/// The backend of one vbd (<c>backend/vbd/&lt;domid&gt;/&lt;devid&gt;</c>), as Linux's xen-blkback: it opens the file
/// of <c>params</c>, publishes its features and goes InitWait; when the frontend is Initialised it maps the rings
/// the frontend published, binds their event channels, publishes the disk's size and goes Connected; when the
/// frontend closes it tears the rings down and goes Closed (InitWait again if the frontend starts over).
/// </summary>
public sealed class BlkbackDevice : IAsyncDisposable
{
    private readonly XenDomainServices dom0;
    private readonly BlkbackOptions options;
    private readonly SemaphoreSlim gate = new(1, 1);
    private readonly List<BlkbackQueue> queues = new();
    private readonly BackingFile file;
    private readonly string frontend;
    private readonly ushort frontendDomain;
    private XsWatchSubscription? watch;
    private bool disposed;

    private BlkbackDevice(XenDomainServices dom0, string path, string frontend, ushort frontendDomain, BackingFile file, BlkbackOptions options)
    {
        this.dom0 = dom0;
        Path = path;
        this.frontend = frontend;
        this.frontendDomain = frontendDomain;
        this.file = file;
        this.options = options;
        Name = $"blkback {frontendDomain}/{path[(path.LastIndexOf('/') + 1)..]}";
    }

    /// <summary>The backend directory.</summary>
    public string Path { get; }

    /// <summary>The name in log lines (<c>blkback 1/51712</c>).</summary>
    public string Name { get; }

    /// <summary>The disk's size in 512-byte sectors (<c>sectors</c>).</summary>
    public ulong Sectors => (ulong)(file.Length / options.SectorSize * options.SectorSize / 512);

    /// <summary>The queues connected now.</summary>
    public int QueueCount
    {
        get
        {
            lock (queues) return queues.Count;
        }
    }

    /// <summary>Requests answered on the queues connected now.</summary>
    public long Served
    {
        get
        {
            lock (queues) return queues.Sum(q => q.Served);
        }
    }

    /// <summary>Grant abuses refused, and let through, on the queues connected now (<see cref="BlkbackHostility.GrantAbuse"/>).</summary>
    public (int Refused, int Allowed) Abuses
    {
        get
        {
            lock (queues) return (queues.Sum(q => q.AbusesRefused), queues.Sum(q => q.AbusesAllowed));
        }
    }

    /// <summary>Starts serving <paramref name="path"/> with dom0's <paramref name="services"/>.</summary>
    /// <exception cref="IOException">The file of <c>params</c> cannot be opened.</exception>
    /// <exception cref="FormatException">A key of the backend directory is missing or malformed.</exception>
    public static async Task<BlkbackDevice> StartAsync(XenDomainServices services, string path, BlkbackOptions? options = null)
    {
        options ??= new BlkbackOptions();
        if (services.ForeignMemory is null) throw new InvalidOperationException($"{path}: this domain cannot map grants");
        var store = services.Store;
        var frontend = await store.ReadStringAsync($"{path}/frontend").ConfigureAwait(false);
        var idText = await store.ReadStringAsync($"{path}/frontend-id").ConfigureAwait(false);
        if (!ushort.TryParse(idText, NumberStyles.None, CultureInfo.InvariantCulture, out var frontendDomain))
            throw new FormatException($"{path}/frontend-id = \"{idText}\" is not a domain id");
        var parameters = await store.ReadStringAsync($"{path}/params").ConfigureAwait(false);
        var mode = await ReadOrAsync(store, $"{path}/mode", "w").ConfigureAwait(false);
        var device = new BlkbackDevice(services, path, frontend, frontendDomain, new BackingFile(parameters, readOnly: !mode.StartsWith('w')), options);
        try
        {
            await device.PublishFeaturesAsync().ConfigureAwait(false);
            await XenbusStates.WriteAsync(store, path, XenbusState.XenbusStateInitWait).ConfigureAwait(false);
            device.watch = await store.WatchAsync(frontend + "/state", ev => { _ = device.FrontendChangedAsync(); }, "blkback-" + path).ConfigureAwait(false);
        }
        catch
        {
            await device.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        return device;
    }

    private static async Task<string> ReadOrAsync(XsStoreOperations store, string path, string missing)
    {
        try { return await store.ReadStringAsync(path).ConfigureAwait(false); }
        catch (XsNotFoundException) { return missing; }
    }

    /// <summary>What blkback writes before InitWait (xen_blkbk_probe, xen_blkbk_flush_diskcache, xen_blkbk_discard, ...).</summary>
    private Task PublishFeaturesAsync() => dom0.Store.RunTransactionAsync(async t =>
    {
        async Task Write(string key, ulong value) => await t.WriteAsync($"{Path}/{key}", value.ToString(CultureInfo.InvariantCulture)).ConfigureAwait(false);
        await Write("feature-flush-cache", options.FlushCache ? 1UL : 0).ConfigureAwait(false);
        await Write("feature-barrier", options.Barrier ? 1UL : 0).ConfigureAwait(false);
        if (options.Discard)
        {
            await Write("feature-discard", 1).ConfigureAwait(false);
            await Write("discard-granularity", 4096).ConfigureAwait(false);
            await Write("discard-alignment", 0).ConfigureAwait(false);
            await Write("discard-secure", 0).ConfigureAwait(false);
        }
        if (options.MaxIndirectSegments > 0) await Write("feature-max-indirect-segments", (ulong)options.MaxIndirectSegments).ConfigureAwait(false);
        await Write("feature-persistent", options.Persistent ? 1UL : 0).ConfigureAwait(false);
        await Write("max-ring-page-order", (ulong)options.MaxRingPageOrder).ConfigureAwait(false);
        await Write("multi-queue-max-queues", (ulong)options.MaxQueues).ConfigureAwait(false);
    });

    private async Task FrontendChangedAsync()
    {
        await gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (disposed) return;
            var front = await XenbusStates.ReadAsync(dom0.Store, frontend).ConfigureAwait(false);
            var back = await XenbusStates.ReadAsync(dom0.Store, Path).ConfigureAwait(false);
            switch (front, back)
            {
                case (XenbusState.XenbusStateInitialised or XenbusState.XenbusStateConnected, XenbusState.XenbusStateInitWait):
                    await ConnectAsync().ConfigureAwait(false);
                    break;
                case (XenbusState.XenbusStateClosing or XenbusState.XenbusStateClosed, not XenbusState.XenbusStateClosed):
                    Disconnect();
                    await WriteStateAsync(XenbusState.XenbusStateClosed).ConfigureAwait(false);
                    break;
                case (XenbusState.XenbusStateInitialising, XenbusState.XenbusStateClosed or XenbusState.XenbusStateConnected):
                    Disconnect();
                    await WriteStateAsync(XenbusState.XenbusStateInitWait).ConfigureAwait(false);
                    break;
            }
        }
        catch (Exception e) when (e is XsErrorException or XsConnectionException or ObjectDisposedException)
        {
            // The device is being removed, or dom0's store is going away.
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>connect_ring and connect: the frontend's rings mapped, the disk published, Connected.</summary>
    private async Task ConnectAsync()
    {
        try
        {
            var store = dom0.Store;
            var count = await ReadNumberAsync($"{frontend}/multi-queue-num-queues", 1).ConfigureAwait(false);
            if (count < 1 || count > (ulong)options.MaxQueues) throw new FormatException($"{frontend}/multi-queue-num-queues = {count}, at most {options.MaxQueues} offered");
            var order = await ReadNumberAsync($"{frontend}/ring-page-order", 0).ConfigureAwait(false);
            if (order > (ulong)options.MaxRingPageOrder) throw new FormatException($"{frontend}/ring-page-order = {order}, at most {options.MaxRingPageOrder} offered");
            var protocol = await ReadOrAsync(store, $"{frontend}/protocol", Protocols.XenIoProtoAbiNative).ConfigureAwait(false);
            if (protocol != Protocols.XenIoProtoAbiNative) throw new FormatException($"{frontend}/protocol = \"{protocol}\", only {Protocols.XenIoProtoAbiNative} is served");
            var persistent = options.Persistent && await ReadNumberAsync($"{frontend}/feature-persistent", 0).ConfigureAwait(false) == 1;
            var context = new BlkbackQueueContext(Name, options, file, dom0.ForeignMemory!, dom0.EventChannels, frontendDomain, Sectors, dom0.Log);
            for (var q = 0UL; q < count; q++)
            {
                var directory = count == 1 ? frontend : $"{frontend}/queue-{q}";
                var refs = new List<uint>();
                for (var i = 0; i < 1 << (int)order; i++)
                {
                    var key = order == 0 ? "ring-ref" : $"ring-ref{i}";
                    refs.Add(checked((uint)await ReadRequiredAsync($"{directory}/{key}").ConfigureAwait(false)));
                }
                var remotePort = checked((uint)await ReadRequiredAsync($"{directory}/event-channel").ConfigureAwait(false));
                var queue = new BlkbackQueue(context, $"{Name} queue {q}", refs, remotePort, persistent);
                lock (queues) queues.Add(queue);
            }
            await store.RunTransactionAsync(async t =>
            {
                await t.WriteAsync($"{Path}/sectors", Sectors.ToString(CultureInfo.InvariantCulture)).ConfigureAwait(false);
                var info = options.ExtraInfo | (file.ReadOnly ? (uint)Blkif.VdiskReadonly : 0);
                await t.WriteAsync($"{Path}/info", info.ToString(CultureInfo.InvariantCulture)).ConfigureAwait(false);
                await t.WriteAsync($"{Path}/sector-size", options.SectorSize.ToString(CultureInfo.InvariantCulture)).ConfigureAwait(false);
                await t.WriteAsync($"{Path}/physical-sector-size", options.PhysicalSectorSize.ToString(CultureInfo.InvariantCulture)).ConfigureAwait(false);
            }).ConfigureAwait(false);
            await WriteStateAsync(XenbusState.XenbusStateConnected).ConfigureAwait(false);
            dom0.Log($"{Name}: connected, {count} queue(s) of {1 << (int)order}-page rings, {(persistent ? "persistent grants" : "grant copy")}, {file.Path}");
        }
        catch (Exception e) when (e is FormatException or OverflowException or GrantRefusedException or XsNotFoundException or ArgumentException)
        {
            // xenbus_dev_fatal: the frontend gave something we cannot use; say so and close.
            dom0.Log($"{Name}: connect: {e.Message}");
            Disconnect();
            await WriteStateAsync(XenbusState.XenbusStateClosing).ConfigureAwait(false);
        }
    }

    private async Task<ulong> ReadNumberAsync(string path, ulong missing)
    {
        string text;
        try { text = await dom0.Store.ReadStringAsync(path).ConfigureAwait(false); }
        catch (XsNotFoundException) { return missing; }
        return ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new FormatException($"{path} = \"{text}\" is not a decimal number");
    }

    private async Task<ulong> ReadRequiredAsync(string path)
    {
        var value = await ReadNumberAsync(path, ulong.MaxValue).ConfigureAwait(false);
        return value == ulong.MaxValue ? throw new FormatException($"{path} is missing") : value;
    }

    private async Task WriteStateAsync(XenbusState state)
    {
        if (await dom0.Store.ExistsAsync(Path).ConfigureAwait(false))
            await XenbusStates.WriteAsync(dom0.Store, Path, state).ConfigureAwait(false);
    }

    private void Disconnect()
    {
        BlkbackQueue[] stopping;
        lock (queues)
        {
            stopping = queues.ToArray();
            queues.Clear();
        }
        foreach (var queue in stopping) queue.Dispose();
    }

    /// <summary>Stops watching, tears the rings down and closes the file.</summary>
    public async ValueTask DisposeAsync()
    {
        await gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (disposed) return;
            disposed = true;
            if (watch is { } w)
            {
                watch = null;
                try { await w.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(2)).ConfigureAwait(false); }
                catch (Exception e) when (e is XsErrorException or XsConnectionException or TimeoutException) { }
            }
            Disconnect();
            file.Dispose();
        }
        finally
        {
            gate.Release();
        }
    }
}
