using Xen.GuestAgent.Collectors;
using Xen.GuestAgent.Control;
using Xen.GuestAgent.Network;
using Xen.GuestAgent.Publishing;
using Xen.XenStore.Client;

namespace Xen.GuestAgent;

/// <summary>
/// The agent: on each connection to the store it clears <c>attr/vif</c>, publishes every key, watches
/// <c>control/shutdown</c> and <c>domid</c>, then sleeps until something changes: the network (netlink), the memory
/// interval (the OS files are read again then too), a resume (a new <c>domid</c>: everything is published again) or
/// the end of the connection (it connects again and publishes everything). Writes happen only for values that
/// changed. The store is reached through <c>connect</c>, any <see cref="XenStoreClient"/>: a socket,
/// <c>/dev/xen/xenbus</c>, or a ring page the nexus holds.
/// </summary>
public sealed class GuestAgent
{
    private const string DomidKey = "domid";

    private readonly GuestAgentOptions _options;
    private readonly Func<CancellationToken, Task<XenStoreClient>> _connect;
    private readonly INetworkSource _network;
    private readonly Action<string> _log;
    private readonly SemaphoreSlim _wake = new(0);
    private readonly VifDevices _vifs;
    private int _networkDirty;
    private int _resumed;
    private MemoryInfo? _memory;
    private OsInfo? _os;

    /// <summary>Creates the agent; nothing runs until <see cref="RunAsync"/> or <see cref="PublishOnceAsync"/>.</summary>
    /// <param name="options">Behaviour.</param>
    /// <param name="connect">Opens a client to the store (called again after the connection is lost).</param>
    /// <param name="network">The interfaces and addresses (netlink in a guest).</param>
    /// <param name="log">One line per event worth telling.</param>
    public GuestAgent(GuestAgentOptions options, Func<CancellationToken, Task<XenStoreClient>> connect, INetworkSource network, Action<string> log)
    {
        _options = options;
        _connect = connect;
        _network = network;
        _log = log;
        _vifs = new VifDevices(options.SysfsNet);
        _network.Changed += () => Signal(ref _networkDirty);
    }

    /// <summary>How many times everything was published on a (new) connection or after a resume.</summary>
    public int FullPublications { get; private set; }

    /// <summary>Raised after each batch was published, with the number of keys written or removed.</summary>
    public event Action<int>? Published;

    /// <summary>Everything as it would be published now (memory read afresh).</summary>
    public GuestState Collect()
    {
        _memory = ReadMemory();
        _os = ReadOs();
        return State();
    }

    /// <summary>Connects, publishes every key once and returns (no watches).</summary>
    public async Task PublishOnceAsync(CancellationToken cancellationToken)
    {
        await _network.Ready.WaitAsync(cancellationToken).ConfigureAwait(false);
        await using var client = await _connect(cancellationToken).ConfigureAwait(false);
        var publisher = new StorePublisher(client, _options.Layout, _log);
        await publisher.ClearAsync(KeyLayout.VifRoot, cancellationToken).ConfigureAwait(false);
        var state = Collect() with { ShutdownFeatures = false };
        int changes = await publisher.PublishAsync(_options.Layout.Keys(state), cancellationToken).ConfigureAwait(false);
        Published?.Invoke(changes);
    }

    /// <summary>Runs until <paramref name="cancellationToken"/> is cancelled, reconnecting whenever the store goes away.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await _network.Ready.WaitAsync(cancellationToken).ConfigureAwait(false);
        var delay = TimeSpan.FromMilliseconds(100);
        string? lastFailure = null;
        while (!cancellationToken.IsCancellationRequested)
        {
            XenStoreClient client;
            try
            {
                client = await _connect(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is XsConnectionException or IOException or System.Net.Sockets.SocketException)
            {
                if (e.Message != lastFailure) _log($"cannot reach the store: {e.Message}; trying again");
                lastFailure = e.Message;
                await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _options.MaxReconnectDelay.Ticks));
                continue;
            }
            delay = TimeSpan.FromMilliseconds(100);
            lastFailure = null;
            try
            {
                await ServeAsync(client, cancellationToken).ConfigureAwait(false);
            }
            catch (XsConnectionException e)
            {
                _log($"the store went away ({e.Message}); connecting again");
            }
            catch (XsErrorException e)
            {
                // A refusal outside the per-key EACCES handling (a quota, a watch): start over rather than exit.
                _log($"the store refused a request ({e.Message}); connecting again in {_options.MaxReconnectDelay.TotalSeconds:F0} s");
                await Task.Delay(_options.MaxReconnectDelay, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                await client.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private async Task ServeAsync(XenStoreClient client, CancellationToken cancellationToken)
    {
        _ = client.Completion.ContinueWith(_ => _wake.Release(), TaskScheduler.Default);
        var publisher = new StorePublisher(client, _options.Layout, _log);
        string? domid = await ReadOrNullAsync(client, DomidKey, cancellationToken).ConfigureAwait(false);
        await PublishAllAsync(publisher, cancellationToken).ConfigureAwait(false);
        _log($"published on {client.TransportName} ({_options.Layout.Name} layout)");

        ShutdownWatcher? watcher = null;
        if (_options.ShutdownCommand is { } command)
        {
            watcher = new ShutdownWatcher(client, command, _log);
            await watcher.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        await using var domidWatch = await client.WatchAsync(DomidKey, _ => Signal(ref _resumed), "xen-guest-agent:domid", cancellationToken).ConfigureAwait(false);
        try
        {
            var nextMemory = DateTime.UtcNow + _options.MemoryInterval;
            while (true)
            {
                var wait = nextMemory - DateTime.UtcNow;
                if (wait > TimeSpan.Zero) await _wake.WaitAsync(wait, cancellationToken).ConfigureAwait(false);
                if (client.Completion.IsCompleted)
                {
                    await client.Completion.ConfigureAwait(false);
                    throw new XsConnectionException($"{client.TransportName}: closed");
                }
                if (Interlocked.Exchange(ref _resumed, 0) == 1)
                {
                    string? now = await ReadOrNullAsync(client, DomidKey, cancellationToken).ConfigureAwait(false);
                    if (now != domid)
                    {
                        _log($"domid is now {now ?? "(none)"} (was {domid ?? "(none)"}): resumed, publishing everything again");
                        domid = now;
                        publisher = new StorePublisher(client, _options.Layout, _log);
                        await PublishAllAsync(publisher, cancellationToken).ConfigureAwait(false);
                        continue;
                    }
                }
                bool memoryDue = DateTime.UtcNow >= nextMemory;
                if (memoryDue)
                {
                    _memory = ReadMemory();
                    _os = ReadOs();
                    nextMemory = DateTime.UtcNow + _options.MemoryInterval;
                }
                bool network = Interlocked.Exchange(ref _networkDirty, 0) == 1;
                if (!memoryDue && !network) continue;
                int changes = await publisher.PublishAsync(_options.Layout.Keys(State()), cancellationToken).ConfigureAwait(false);
                Published?.Invoke(changes);
            }
        }
        finally
        {
            if (watcher is not null && !client.Completion.IsCompleted) await watcher.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task PublishAllAsync(StorePublisher publisher, CancellationToken cancellationToken)
    {
        Interlocked.Exchange(ref _networkDirty, 0);
        await publisher.ClearAsync(KeyLayout.VifRoot, cancellationToken).ConfigureAwait(false);
        int changes = await publisher.PublishAsync(_options.Layout.Keys(Collect()), cancellationToken).ConfigureAwait(false);
        FullPublications++;
        Published?.Invoke(changes);
    }

    private GuestState State()
    {
        var vifs = new List<VifAddresses>();
        foreach (var nic in _network.Snapshot())
        {
            if (_vifs.DevidOf(nic.Name) is not { } devid || vifs.Any(v => v.Devid == devid)) continue;
            vifs.Add(new VifAddresses(devid, nic.Name, nic.Ipv4, nic.Ipv6));
        }
        return new GuestState(_os ??= ReadOs(), _memory, vifs, _options.ShutdownCommand is not null);
    }

    // Read on a full publication and with the memory, not on each network change: an address's way to the store
    // then reads only sysfs (which vif an interface is).
    private OsInfo ReadOs() => new OsInfoCollector(_options.OsRoot).Collect();

    private MemoryInfo? ReadMemory()
    {
        var memory = new MemoryCollector(_options.MemInfoPath).Collect(out string? problem);
        if (problem is not null) _log(problem);
        return memory;
    }

    private void Signal(ref int flag)
    {
        if (Interlocked.Exchange(ref flag, 1) == 0) _wake.Release();
    }

    private static async Task<string?> ReadOrNullAsync(XenStoreClient client, string key, CancellationToken cancellationToken)
    {
        try
        {
            return await client.ReadStringAsync(key, cancellationToken).ConfigureAwait(false);
        }
        catch (XsErrorException)
        {
            return null;
        }
    }
}
