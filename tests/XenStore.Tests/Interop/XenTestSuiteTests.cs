using Xen.XenStore.Tests.Support;

namespace Xen.XenStore.Tests.Interop;

/// <summary>Xen's own test suite (xen-utils-4.17's test-xenstore, on libxenstore) against our server.</summary>
public class XenTestSuiteTests
{
    private const string TestXenstore = "/usr/lib/xen-4.17/bin/test-xenstore";

    [Fact]
    public async Task EveryTestOfTestXenstorePasses()
    {
        await using var fixture = new SocketServerFixture();
        var list = ExternalProcess.Run(fixture.SocketPath, TestXenstore, "--list-tests");
        var names = list.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line.Split(':')[0].Trim()).ToList();
        Assert.Equal(12, names.Count);

        var run = ExternalProcess.Run(fixture.SocketPath, TimeSpan.FromSeconds(60), null, TestXenstore, "--iterations", "5");
        Assert.True(run.ExitCode == 0, $"test-xenstore exited {run.ExitCode}:\n{run.Stdout}\n{run.Stderr}");
        var lines = run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        foreach (var name in names)
        {
            var line = Assert.Single(lines, l => l.Split(':')[0].Trim() == name);
            Assert.Contains("avg:", line);
        }
        Assert.DoesNotContain("failed", run.Stdout);
        Assert.DoesNotContain("Exhaustive transaction retries", run.Stdout);
        // test-xenstore cleans up after itself: nothing is left under its directory.
        Assert.Equal(5 + 3, fixture.Server.NodeCount); // the initial five (root, /tool/xenstored, the special paths) and /local/domain/0
    }

    [Fact]
    public async Task RandomModeForThreeSecondsPasses()
    {
        await using var fixture = new SocketServerFixture();
        var run = ExternalProcess.Run(fixture.SocketPath, TimeSpan.FromSeconds(60), null, TestXenstore, "--random", "3");
        Assert.True(run.ExitCode == 0, $"test-xenstore -r exited {run.ExitCode}:\n{run.Stdout}\n{run.Stderr}");
    }
}
