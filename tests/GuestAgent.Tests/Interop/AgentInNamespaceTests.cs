using System.Diagnostics;
using Xen.GuestAgent.Tests.Support;
using Xunit.Abstractions;

namespace Xen.GuestAgent.Tests.Interop;

/// <summary>
/// The agent binary in a network namespace made by the test (a veth named eth0), our xenstored on a socket, and
/// Debian's xenstore-read/-ls reading what it published under the socket's home (<c>/local/domain/0</c>). The memory
/// interval is an hour, so an address that shows up was told by netlink.
/// </summary>
public sealed class AgentInNamespaceTests(ITestOutputHelper output) : IDisposable
{
    private const string Home = "/local/domain/0";

    private readonly NetworkNamespace _network = new();
    private readonly StoreDaemon _store = new();
    private readonly List<AgentProcess> _agents = new();

    private XenstoreTools Xs => _store.Tools;

    private string ShutdownLog => Path.Combine(_store.Directory, "shutdown.log");

    private AgentProcess StartAgent(params string[] extra)
    {
        var agent = new AgentProcess(_network, ["--socket", _store.Socket, "--memory-interval", "3600", "--shutdown-command", $"echo >>{ShutdownLog}", .. extra]);
        _agents.Add(agent);
        return agent;
    }

    private void WaitFor(string key, string? value, AgentProcess agent, double seconds = 30) =>
        Processes.Eventually(() => Xs.Read(key) == value, $"{key} = {value ?? "(absent)"}; {agent.Describe()}", seconds);

    [Fact]
    public void DebiansToolsSeeEveryKeyAndTheStaleVifTreeIsGone()
    {
        _network.Ip("addr", "add", "192.0.2.10/24", "dev", "eth0");
        _network.Ip("addr", "add", "2001:db8::10/64", "dev", "eth0", "nodad");
        Xs.Write($"{Home}/attr/vif/5/ipv4/0", "10.0.0.99");
        var agent = StartAgent();
        WaitFor("attr/vif/0/ipv4/0", "192.0.2.10", agent);

        var keys = Xs.List(Home);
        string Key(string relative) => keys.TryGetValue($"{Home}/{relative}", out string? v) ? v : throw new Xunit.Sdk.XunitException($"xenstore-ls shows no {relative}:\n{string.Join('\n', keys.Keys)}");
        Assert.Equal("1", Key("attr/PVAddons/Installed"));
        foreach (string part in new[] { "Major", "Minor", "Micro", "Build" }) Assert.Matches("^[0-9]+$", Key($"attr/PVAddons/{part}Version"));
        Assert.Equal(Processes.Ok("uname", "-r").Stdout.Trim(), Key("data/os_uname"));
        var osRelease = File.ReadAllLines("/etc/os-release").Select(l => l.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1].Trim('"'));
        Assert.Equal(osRelease["PRETTY_NAME"], Key("data/os_name"));
        Assert.Equal(osRelease["ID"], Key("data/os_distro"));
        Assert.Equal(osRelease["VERSION_ID"].Split('.')[0], Key("data/os_majorver"));
        Assert.Matches("^[0-9]+$", Key("data/os_minorver"));
        string memTotal = File.ReadAllLines("/proc/meminfo").First(l => l.StartsWith("MemTotal:", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
        Assert.Equal(memTotal, Key("data/meminfo_total"));
        Assert.InRange(ulong.Parse(Key("data/meminfo_free")), 1UL, ulong.Parse(memTotal));
        Assert.Equal("2001:db8::10", Key("attr/vif/0/ipv6/0"));
        Assert.Equal("1", Key("control/feature-poweroff"));
        Assert.Equal("1", Key("control/feature-reboot"));
        Assert.False(keys.ContainsKey($"{Home}/control/feature-suspend"), "the agent cannot suspend, so it must not advertise it");
        Assert.Matches(@"^[A-Z][a-z]{2} [A-Z][a-z]{2} [ 1-3][0-9] [0-9]{2}:[0-9]{2}:[0-9]{2} [0-9]{4}$", Key("data/updated"));
        Assert.DoesNotContain(keys.Keys, key => key.StartsWith($"{Home}/attr/vif/5", StringComparison.Ordinal));
        Assert.Equal("192.0.2.10", Xs.Read($"{Home}/attr/vif/0/ipv4/0"));
    }

    [Fact]
    public void AddressAndLinkChangesArriveByNetlinkInStableSlots()
    {
        _network.Ip("addr", "add", "192.0.2.10/24", "dev", "eth0");
        var agent = StartAgent();
        WaitFor("attr/vif/0/ipv4/0", "192.0.2.10", agent);

        var clock = Stopwatch.StartNew();
        _network.Ip("addr", "add", "198.51.100.7/24", "dev", "eth0");
        WaitFor("attr/vif/0/ipv4/1", "198.51.100.7", agent, seconds: 10);
        output.WriteLine($"ip addr add seen by xenstore-read after {clock.ElapsedMilliseconds} ms (memory interval: 3600 s)");

        clock.Restart();
        _network.Ip("addr", "del", "192.0.2.10/24", "dev", "eth0");
        WaitFor("attr/vif/0/ipv4/0", null, agent, seconds: 10);
        output.WriteLine($"ip addr del seen by xenstore-read after {clock.ElapsedMilliseconds} ms");
        Assert.Equal("198.51.100.7", Xs.Read("attr/vif/0/ipv4/1"));

        _network.Ip("addr", "add", "203.0.113.1/24", "dev", "eth0");
        WaitFor("attr/vif/0/ipv4/0", "203.0.113.1", agent, seconds: 10);
        Assert.Equal("198.51.100.7", Xs.Read("attr/vif/0/ipv4/1"));

        _network.Ip("link", "del", "eth0");
        WaitFor("attr/vif/0", null, agent, seconds: 10);
        Assert.NotNull(Xs.Read("attr/vif"));
        Assert.NotEqual("", Xs.Read("data/updated"));
        Assert.False(agent.HasExited, agent.Describe());
    }

    [Fact]
    public void ShutdownRequestRunsTheCommandAndClearsTheKey()
    {
        var agent = StartAgent();
        WaitFor("control/feature-poweroff", "1", agent);
        Processes.Eventually(() => agent.Lines("published on") > 0, "the agent's watch is registered; " + agent.Describe());

        Xs.Write("control/shutdown", "suspend");
        Processes.Eventually(() => agent.Lines("\"suspend\" is not acted on") == 1, "suspend refused; " + agent.Describe());
        Assert.Equal("suspend", Xs.Read("control/shutdown"));

        Xs.Write("control/shutdown", "reboot");
        WaitFor("control/shutdown", "", agent, seconds: 10);
        Processes.Eventually(() => File.Exists(ShutdownLog) && File.ReadAllText(ShutdownLog) == "reboot\n", "the command ran with reboot; " + agent.Describe());

        Xs.Write("control/shutdown", "poweroff");
        Processes.Eventually(() => File.ReadAllText(ShutdownLog) == "reboot\npoweroff\n", "the command ran with poweroff; " + agent.Describe(), 10);
        Assert.Equal("", Xs.Read("control/shutdown"));
    }

    [Fact]
    public void KernelShutdownLeavesControlShutdownAlone()
    {
        var agent = StartAgent("--kernel-shutdown");
        WaitFor("attr/PVAddons/Installed", "1", agent);
        Processes.Eventually(() => agent.Lines("published on") > 0, "published; " + agent.Describe());
        Xs.Write("control/shutdown", "poweroff");
        Thread.Sleep(500);
        Assert.Equal("poweroff", Xs.Read("control/shutdown"));
        Assert.Null(Xs.Read("control/feature-poweroff"));
        Assert.False(File.Exists(ShutdownLog));
    }

    [Fact]
    public void DaemonRestartIsSurvivedAndEverythingIsPublishedAgain()
    {
        _network.Ip("addr", "add", "192.0.2.10/24", "dev", "eth0");
        var agent = StartAgent();
        WaitFor("attr/vif/0/ipv4/0", "192.0.2.10", agent);

        _store.Restart();
        Assert.Null(Xs.Read("attr/vif/0/ipv4/0"));
        WaitFor("attr/vif/0/ipv4/0", "192.0.2.10", agent);
        // The agent republishes key by key after the reconnect: the address may land before the OS keys do.
        Processes.Eventually(() => Xs.Read("data/os_name") is not null, "data/os_name is published again; " + agent.Describe());
        WaitFor("control/feature-poweroff", "1", agent);
        Assert.Equal(1, agent.Lines("connecting again"));

        _network.Ip("addr", "add", "198.51.100.7/24", "dev", "eth0");
        WaitFor("attr/vif/0/ipv4/1", "198.51.100.7", agent, seconds: 10);
        Xs.Write("control/shutdown", "halt");
        Processes.Eventually(() => File.Exists(ShutdownLog) && File.ReadAllText(ShutdownLog) == "halt\n", "the shutdown watch is back; " + agent.Describe());
    }

    public void Dispose()
    {
        foreach (var agent in _agents)
        {
            output.WriteLine(agent.Describe());
            agent.Dispose();
        }
        _store.Dispose();
        _network.Dispose();
    }
}
