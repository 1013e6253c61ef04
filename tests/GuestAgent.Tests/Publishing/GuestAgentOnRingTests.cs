using System.Collections.Concurrent;
using Xen.GuestAgent.Control;
using Xen.GuestAgent.Tests.Support;

namespace Xen.GuestAgent.Tests.Publishing;

/// <summary>
/// The agent as an unprivileged guest (domain 7, over a store ring page in memory) of our server, the toolstack
/// being a dom0 client: read-only nodes, a resume under a new domain id, and that nothing is written when nothing changed.
/// </summary>
public sealed class GuestAgentOnRingTests : IAsyncLifetime
{
    private const string Home = GuestStore.Home;

    private readonly ConcurrentQueue<string> _log = new();
    private readonly FixedNetwork _network = new();
    private readonly CancellationTokenSource _stop = new();
    private GuestStore _store = null!;
    private GuestAgent _agent = null!;
    private Task _running = Task.CompletedTask;
    private readonly string _memInfo = Path.GetTempFileName();
    private readonly ConcurrentQueue<int> _changes = new();
    private int _batches;

    public async Task InitializeAsync()
    {
        _store = await GuestStore.CreateAsync();
        _network.SetEth0("192.0.2.10");
    }

    private void Start(TimeSpan memoryInterval)
    {
        // A fixed meminfo: the host's MemAvailable moves between readings, and a moved value is rightly written.
        File.WriteAllText(_memInfo, "MemTotal:        2048000 kB\nMemFree:          100000 kB\nMemAvailable:    1024000 kB\n");
        var options = new GuestAgentOptions { MemoryInterval = memoryInterval, ShutdownCommand = new ShutdownCommand("true"), MemInfoPath = _memInfo };
        _agent = new GuestAgent(options, _ => Task.FromResult(_store.Guest()), _network, _log.Enqueue);
        _agent.Published += changes =>
        {
            _changes.Enqueue(changes);
            Interlocked.Increment(ref _batches);
        };
        _running = Task.Run(() => _agent.RunAsync(_stop.Token));
    }

    private async Task<string?> ReadAsync(string key)
    {
        try
        {
            return await _store.Admin.ReadStringAsync($"{Home}/{key}");
        }
        catch (XsNotFoundException)
        {
            return null;
        }
    }

    private async Task EventuallyAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"{what}; log:\n{string.Join('\n', _log)}");
            await Task.Delay(20);
        }
    }

    [Fact]
    public async Task ANodeTheToolstackMadeReadOnlyIsSkippedWithOneLogLine()
    {
        // libxl's way: control/ belongs to dom0 and the guest may only read it.
        await _store.Admin.MkdirAsync($"{Home}/control");
        await _store.Admin.SetPermissionsAsync($"{Home}/control", XsPermissions.From([new XsPermission(0, XsAccess.None), new XsPermission(GuestStore.DomainId, XsAccess.Read)]));
        Start(TimeSpan.FromMilliseconds(50));
        await EventuallyAsync(async () => await ReadAsync("attr/vif/0/ipv4/0") == "192.0.2.10", "the address is published");
        await EventuallyAsync(() => Task.FromResult(Volatile.Read(ref _batches) >= 10), "ten memory readings published");

        Assert.Equal(1, _log.Count(line => line.StartsWith("control/feature-poweroff:", StringComparison.Ordinal) && line.Contains("EACCES", StringComparison.Ordinal)));
        Assert.Equal(1, _log.Count(line => line.StartsWith("control/feature-reboot:", StringComparison.Ordinal)));
        Assert.Null(await ReadAsync("control/feature-poweroff"));
        Assert.Equal("1", await ReadAsync("attr/PVAddons/Installed"));
        Assert.NotNull(await ReadAsync("data/meminfo_free"));
    }

    [Fact]
    public async Task NothingIsWrittenWhenNothingChanged()
    {
        Start(TimeSpan.FromMilliseconds(50));
        await EventuallyAsync(() => Task.FromResult(Volatile.Read(ref _batches) >= 1), "the first publication");
        string updated = (await ReadAsync("data/updated"))!;
        // The toolstack takes a key away; the agent does not notice (it does not poll the store), so it stays away
        // until a value the agent publishes changes: proof that unchanged values are not written again.
        await _store.Admin.RmAsync($"{Home}/data/os_name");
        int before = Volatile.Read(ref _batches);
        await EventuallyAsync(() => Task.FromResult(Volatile.Read(ref _batches) >= before + 5), "five more memory readings");
        Assert.Null(await ReadAsync("data/os_name"));
        Assert.Equal(updated, await ReadAsync("data/updated"));
        Assert.All(_changes.Skip(before), changes => Assert.Equal(0, changes));
        Assert.Equal("1024000", await ReadAsync("data/meminfo_free"));

        File.WriteAllText(_memInfo, "MemTotal:        2048000 kB\nMemFree:          100000 kB\n");
        await EventuallyAsync(async () => await ReadAsync("data/meminfo_free") == "100000", "MemFree when MemAvailable is missing");
        Assert.Null(await ReadAsync("data/os_name"));

        _network.SetEth0("192.0.2.10", "198.51.100.7");
        await EventuallyAsync(async () => await ReadAsync("attr/vif/0/ipv4/1") == "198.51.100.7", "the new address");
        Assert.Null(await ReadAsync("data/os_name"));
        _network.SetEth0();
        await EventuallyAsync(async () => await ReadAsync("attr/vif/0") is null, "attr/vif/0 removed with its last address");
        Assert.Equal("", await ReadAsync("attr/vif"));
    }

    [Fact]
    public async Task ANewDomidMeansAResumeAndEverythingIsPublishedAgain()
    {
        await _store.Admin.WriteAsync($"{Home}/domid", "7");
        Start(TimeSpan.FromHours(1));
        await EventuallyAsync(async () => await ReadAsync("data/os_name") is not null, "published");
        await EventuallyAsync(() => Task.FromResult(_log.Any(l => l.StartsWith("published on", StringComparison.Ordinal))), "watches registered");
        await _store.Admin.RmAsync($"{Home}/data");
        await _store.Admin.WriteAsync($"{Home}/domid", "7");
        await Task.Delay(300);
        Assert.Null(await ReadAsync("data/os_name"));
        Assert.Equal(1, _agent.FullPublications);

        await _store.Admin.WriteAsync($"{Home}/domid", "12");
        await EventuallyAsync(async () => await ReadAsync("data/os_name") is not null, "published again after the resume");
        Assert.Equal(2, _agent.FullPublications);
        Assert.Contains(_log, line => line.Contains("domid is now 12 (was 7)", StringComparison.Ordinal));
    }

    public async Task DisposeAsync()
    {
        _stop.Cancel();
        try
        {
            await _running;
        }
        catch (OperationCanceledException)
        {
        }
        await _store.DisposeAsync();
        File.Delete(_memInfo);
    }
}
