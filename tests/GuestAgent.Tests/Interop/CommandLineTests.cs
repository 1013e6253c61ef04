using Xen.GuestAgent.Tests.Support;

namespace Xen.GuestAgent.Tests.Interop;

/// <summary>tools/xen-guest-agent's command line: --dry-run's table, --once, and bad input refused with a reason and a non-zero status.</summary>
public sealed class CommandLineTests : IDisposable
{
    private readonly NetworkNamespace _network = new();

    private Processes.Result Agent(params string[] args) =>
        Processes.Run("ip", _network.Exec(["dotnet", Processes.Dll("xen-guest-agent"), .. args]));

    private static Dictionary<string, string> Table(string stdout)
    {
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("key ", lines[0]);
        Assert.Matches("^-+  -+$", lines[1]);
        return lines.Skip(2).Select(line => line.Split("  ", 2, StringSplitOptions.None))
            .ToDictionary(parts => parts[0].TrimEnd(), parts => parts[1].Trim());
    }

    [Fact]
    public void DryRunPrintsEveryKeyAsATableWithoutAStore()
    {
        _network.Ip("addr", "add", "192.0.2.10/24", "dev", "eth0");
        var run = Agent("--dry-run", "--socket", "/nonexistent/socket");
        Assert.True(run.ExitCode == 0, run.Describe("--dry-run"));
        var table = Table(run.Stdout);
        Assert.Equal("192.0.2.10", table["attr/vif/0/ipv4/0"]);
        Assert.Equal("1", table["attr/PVAddons/Installed"]);
        Assert.Equal("1", table["control/feature-poweroff"]);
        Assert.Contains("data/updated (after each change)", table.Keys);
        Assert.Equal(table.Keys.Where(k => !k.StartsWith("data/updated", StringComparison.Ordinal)).Order(StringComparer.Ordinal), table.Keys.Where(k => !k.StartsWith("data/updated", StringComparison.Ordinal)));
    }

    [Fact]
    public void TheXgaLayoutDiffersWhereXenGuestAgentDoes()
    {
        var xe = Table(Agent("--dry-run").Stdout);
        var xga = Table(Agent("--dry-run", "--layout", "xga").Stdout);
        Assert.Equal("1", xga["attr/PVAddons/MajorVersion"]);
        Assert.StartsWith("xengen-", xga["attr/PVAddons/BuildVersion"]);
        Assert.DoesNotContain(xga.Keys, key => key.StartsWith("data/updated", StringComparison.Ordinal));
        Assert.NotEqual(xe["data/os_name"], xga["data/os_name"]);
        Assert.Equal(xe["data/meminfo_total"], xga["data/meminfo_total"]);
        Assert.Equal(xe["data/os_uname"], xga["data/os_uname"]);
    }

    [Fact]
    public void OncePublishesAndExitsWithoutAdvertisingShutdown()
    {
        using var store = new StoreDaemon();
        _network.Ip("addr", "add", "192.0.2.10/24", "dev", "eth0");
        var run = Agent("--once", "--socket", store.Socket);
        Assert.True(run.ExitCode == 0, run.Describe("--once"));
        Assert.Equal("192.0.2.10", store.Tools.Read("attr/vif/0/ipv4/0"));
        Assert.NotNull(store.Tools.Read("data/os_name"));
        Assert.Null(store.Tools.Read("control/feature-poweroff"));
    }

    [Fact]
    public void OnceWithoutAStoreFailsNamingTheSocket()
    {
        var run = Agent("--once", "--socket", "/nonexistent/socket");
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("/nonexistent/socket", run.Stderr);
    }

    [Theory]
    [InlineData("--layout", "windows")]
    [InlineData("--memory-interval", "0")]
    [InlineData("--memory-interval", "soon")]
    [InlineData("--socket", "/a", "--xenbus", "/b")]
    [InlineData("--shutdown-command", " ")]
    [InlineData("--bogus")]
    public void BadArgumentsAreRefusedWithStatusTwo(params string[] args)
    {
        var run = Agent(args);
        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("xen-guest-agent: ", run.Stderr);
        Assert.Contains("try --help", run.Stderr);
    }

    public void Dispose() => _network.Dispose();
}
