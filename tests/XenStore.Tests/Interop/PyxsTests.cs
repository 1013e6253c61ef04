using Xen.XenStore.Tests.Support;

namespace Xen.XenStore.Tests.Interop;

/// <summary>Debian's python3-pyxs client running tests/interop/xenstore/pyxs_scenario.py against our server.</summary>
public class PyxsTests
{
    [Fact]
    public async Task PyxsScenarioPasses()
    {
        await using var fixture = new SocketServerFixture();
        string script = Path.Combine(AppContext.BaseDirectory, "interop", "pyxs_scenario.py");
        var run = ExternalProcess.Run(fixture.SocketPath, TimeSpan.FromSeconds(60), null, "/usr/bin/python3", script);
        Assert.True(run.ExitCode == 0, $"pyxs scenario exited {run.ExitCode}:\n{run.Stdout}\n{run.Stderr}");
        Assert.EndsWith("pyxs scenario passed\n", run.Stdout);
        Assert.Equal(8, run.Stdout.Split('\n').Count(line => line.EndsWith(" ok", StringComparison.Ordinal)));
    }
}
