using System.Globalization;
using System.Threading.Channels;
using Xen.Abi.Io;
using Xen.Services;
using Xen.Services.Xenbus;
using Xen.XenStore.Client;
using Xen.XenStore.Protocol;

namespace Xen.BackendDaemon;

/// <summary>
/// The part of a backend domain that a kernel's xenbus backend bus does: one watch on <c>backend/&lt;kind&gt;</c>;
/// each change rescans the tree, starts a backend for every new device whose state is Initialising (the toolstack's
/// transaction is complete) and stops the backend of every device whose directory went away. A device that cannot
/// be served is logged once and left alone until its directory goes.
/// </summary>
internal sealed class BackendWatcher : IAsyncDisposable
{
    private readonly XenDomainServices services;
    private readonly IBackendKind kind;
    private readonly string root;
    private readonly Dictionary<string, IAsyncDisposable> serving = new(StringComparer.Ordinal);
    private readonly HashSet<string> refused = new(StringComparer.Ordinal);
    private readonly Channel<bool> changes = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private XsWatchSubscription? watch;
    private Task? loop;

    public BackendWatcher(XenDomainServices services, IBackendKind kind)
    {
        this.services = services;
        this.kind = kind;
        root = $"{services.Home}/backend/{kind.Kind}";
    }

    /// <summary>Devices served now.</summary>
    public int Count
    {
        get { lock (serving) return serving.Count; }
    }

    /// <summary>Registers the watch (its first event scans what is there already) and starts the loop that acts on changes.</summary>
    public async Task StartAsync()
    {
        watch = await services.Store.WatchAsync(root, _ => changes.Writer.TryWrite(true), "xenbackendd-" + kind.Kind).ConfigureAwait(false);
        loop = Task.Run(RunAsync);
        services.Log($"xenbackendd: watching {root}");
    }

    private async Task RunAsync()
    {
        await foreach (var _ in changes.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            try
            {
                await RescanAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is XsErrorException or XsConnectionException)
            {
                services.Log($"xenbackendd: {root}: {e.Message}");
            }
        }
    }

    private async Task RescanAsync()
    {
        var present = new HashSet<string>(StringComparer.Ordinal);
        foreach (var domain in await ListAsync(root).ConfigureAwait(false))
        {
            if (!ushort.TryParse(domain, NumberStyles.None, CultureInfo.InvariantCulture, out var domid)) continue;
            foreach (var id in await ListAsync($"{root}/{domain}").ConfigureAwait(false))
            {
                if (!uint.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var devid)) continue;
                var device = new BackendDevice(kind.Kind, $"{root}/{domain}/{id}", domid, devid);
                present.Add(device.Path);
                await ConsiderAsync(device).ConfigureAwait(false);
            }
        }
        KeyValuePair<string, IAsyncDisposable>[] gone;
        lock (serving) gone = serving.Where(s => !present.Contains(s.Key)).ToArray();
        foreach (var (path, backend) in gone)
        {
            lock (serving) serving.Remove(path);
            await backend.DisposeAsync().ConfigureAwait(false);
            services.Log($"xenbackendd: {path} removed; its backend stopped");
        }
        refused.RemoveWhere(path => !present.Contains(path));
    }

    private async Task ConsiderAsync(BackendDevice device)
    {
        lock (serving)
        {
            if (serving.ContainsKey(device.Path)) return;
        }
        if (refused.Contains(device.Path)) return;
        // Initialising: libxl wrote the whole directory in one transaction and nobody serves it yet.
        if (await XenbusStates.ReadAsync(services.Store, device.Path).ConfigureAwait(false) != XenbusState.XenbusStateInitialising) return;
        try
        {
            var backend = await kind.StartAsync(device).ConfigureAwait(false);
            lock (serving) serving[device.Path] = backend;
            services.Log($"xenbackendd: serving {device.Path} (domain {device.FrontendDomain}, {kind.Kind} {device.DeviceId})");
        }
        catch (Exception e) when (e is IOException or FormatException or ArgumentException or InvalidOperationException or XsErrorException or GrantRefusedException)
        {
            refused.Add(device.Path);
            services.Log($"xenbackendd: {device.Path}: cannot serve: {e.Message}");
        }
    }

    private async Task<IReadOnlyList<string>> ListAsync(string path)
    {
        try { return await services.Store.DirectoryAsync(path).ConfigureAwait(false); }
        catch (XsNotFoundException) { return []; }
    }

    /// <summary>Stops watching and stops every backend.</summary>
    public async ValueTask DisposeAsync()
    {
        if (watch is { } w)
        {
            watch = null;
            try { await w.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false); }
            catch (Exception e) when (e is XsErrorException or XsConnectionException or TimeoutException) { }
        }
        changes.Writer.TryComplete();
        if (loop is not null) await loop.WaitAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(false);
        KeyValuePair<string, IAsyncDisposable>[] all;
        lock (serving)
        {
            all = serving.ToArray();
            serving.Clear();
        }
        foreach (var (_, backend) in all) await backend.DisposeAsync().ConfigureAwait(false);
    }
}
