using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Xen.Simulator.Dom0.Tests;

/// <summary>Debian's <c>xenstore-ls</c> on a running <c>xensim run --store-socket</c> sees the whole tree.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed partial class XensimStoreSocketTests
{
    private const int BootSeconds = 120;

    [Fact]
    public async Task Debians_xenstore_ls_on_the_store_socket_shows_the_whole_tree_while_it_runs()
    {
        var dir = Directory.CreateTempSubdirectory("xensim-ls-").FullName;
        var store = Path.Combine(dir, "store.sock");
        try
        {
            await using var xensim = XensimProcess.Run("--domid", "2", "--disk", "/dev/null", "--nic", "", "--store-socket", store, "--for", "300");
            await xensim.WaitForLinesAsync(BootSeconds, $"xenstored: {store}", "xbf0: connected", "xnf0: connected");

            var tree = ParseXenstoreLs(await XenstoreLsAsync(store));
            Assert.Contains("/local/domain/0", tree.Keys);
            Assert.Equal("guest", tree["/local/domain/2/name"]);
            Assert.Equal("2", tree["/local/domain/2/domid"]);
            // The guest's devices, their backends' trees, and the connected states both ends wrote.
            Assert.Equal("/local/domain/0/backend/vbd/2/51712", tree["/local/domain/2/device/vbd/51712/backend"]);
            Assert.Equal("0", tree["/local/domain/2/device/vbd/51712/backend-id"]);
            Assert.Equal("4", tree["/local/domain/2/device/vbd/51712/state"]);
            Assert.Equal("/local/domain/0/backend/vif/2/0", tree["/local/domain/2/device/vif/0/backend"]);
            Assert.Equal("4", tree["/local/domain/2/device/vif/0/state"]);
            Assert.Equal("/local/domain/2/device/vbd/51712", tree["/local/domain/0/backend/vbd/2/51712/frontend"]);
            Assert.Equal("2", tree["/local/domain/0/backend/vbd/2/51712/frontend-id"]);
            Assert.Equal("4", tree["/local/domain/0/backend/vbd/2/51712/state"]);
            Assert.Equal("4", tree["/local/domain/0/backend/vif/2/0/state"]);
            // control/: the shutdown key the guest watches and the features it published.
            Assert.Equal("", tree["/local/domain/2/control/shutdown"]);
            Assert.Equal("1", tree["/local/domain/2/control/feature-poweroff"]);
            Assert.Equal("1", tree["/local/domain/2/control/feature-reboot"]);
            // The parse finds only what is there: no domain 3, no third device.
            Assert.DoesNotContain(tree.Keys, k => k.StartsWith("/local/domain/3", StringComparison.Ordinal) || k.StartsWith("/local/domain/2/device/vbd/51728", StringComparison.Ordinal));

            Assert.Equal(0, await xensim.StopAsync(Signal.Term));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void The_xenstore_ls_parse_refuses_a_line_of_another_shape()
    {
        Assert.Equal("guest", ParseXenstoreLs("/local/domain/2/name = \"guest\"\n")["/local/domain/2/name"]);
        Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => ParseXenstoreLs("name = \"guest\""));
        Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => ParseXenstoreLs("/local/domain/2/name = guest"));
    }

    /// <summary>The lines of <c>xenstore-ls -f</c> (<c>/path = "value"</c>) by path; a line of another shape fails.</summary>
    internal static Dictionary<string, string> ParseXenstoreLs(string text)
    {
        var tree = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var m = LsLine().Match(line);
            Assert.True(m.Success, $"not a xenstore-ls -f line: {line}");
            tree[m.Groups[1].Value] = m.Groups[2].Value;
        }
        return tree;
    }

    private static async Task<string> XenstoreLsAsync(string socket)
    {
        var start = new ProcessStartInfo("xenstore-ls", ["-f"]) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["XENSTORED_PATH"] = socket;
        using var ls = Process.Start(start)!;
        var text = ls.StandardOutput.ReadToEndAsync();
        var err = ls.StandardError.ReadToEndAsync();
        await ls.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        Assert.True(ls.ExitCode == 0, await err);
        return await text;
    }

    [GeneratedRegex("^(/[^ ]*) = \"(.*)\"$")]
    private static partial Regex LsLine();
}
