namespace Xen.Simulator.Dom0.Tests;

/// <summary><c>xensim run</c> stops cleanly on SIGINT and SIGTERM: guest shut down, devices closed, sockets removed, status 0.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class XensimSignalTests
{
    private const int BootSeconds = 120;

    [Theory]
    [InlineData(Signal.Interrupt)]
    [InlineData(Signal.Term)]
    public async Task A_signal_shuts_the_guest_down_closes_its_devices_removes_the_sockets_and_exits_0(int signal)
    {
        var dir = Directory.CreateTempSubdirectory("xensim-stop-").FullName;
        var store = Path.Combine(dir, "store.sock");
        var pvbus = Path.Combine(dir, "pvbus.sock");
        try
        {
            await using var xensim = XensimProcess.Run("--disk", "/dev/null", "--nic", "", "--store-socket", store, "--pvbus", pvbus, "--for", "300");
            await xensim.WaitForLinesAsync(BootSeconds, $"xenstored: {store}", "xbf0: connected", "xnf0: connected");
            Assert.True(File.Exists(store) && File.Exists(pvbus));

            Assert.Equal(0, await xensim.StopAsync(signal));
            var lines = xensim.Lines();
            var stopping = Array.IndexOf(lines, "xensim: stopping: control/shutdown = poweroff");
            Assert.True(stopping >= 0, xensim.Transcript());
            // After the signal, group after group: the guest takes the request, closes its devices, shuts down,
            // dom0 finds both ends of each device Closed, then destroys the domain.
            string[][] groups =
            [
                ["xen0: shutdown request \"poweroff\": SHUTDOWN_poweroff"],
                ["xbf0 detached (shutdown)", "xnf0 detached (shutdown)"],
                ["xensim: domain 1 shut down (SHUTDOWN_poweroff)"],
                ["xensim: vbd 51712: frontend Closed, backend Closed", "xensim: vif 0: frontend Closed, backend Closed"],
                ["dom0: toolstack: domain 1 destroyed"],
            ];
            var previous = stopping;
            foreach (var group in groups)
            {
                var at = group.Select(l => Array.IndexOf(lines, l, stopping)).ToArray();
                Assert.True(at.All(i => i > previous), $"{string.Join(", ", group)} not after line {previous}:\n{xensim.Transcript()}");
                previous = at.Max();
            }
            // Nothing complains on the way down.
            Assert.Empty(xensim.Errors());
            Assert.DoesNotContain(lines[stopping..], l => l.Contains("disposed", StringComparison.Ordinal) || l.Contains("did not", StringComparison.Ordinal));
            Assert.False(File.Exists(store));
            Assert.False(File.Exists(pvbus));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
