using System.Text.RegularExpressions;

namespace Xen.Simulator.Dom0.Tests;

/// <summary><c>xensim run --vcpus N --events 2l|fifo</c>: the boot log and the simulated Xen show them; a bad value is refused by name.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class XensimVcpuTests
{
    private const int BootSeconds = 120;

    [Theory]
    [InlineData("fifo", 3, "FIFO ABI, 131072 ports, 3 vCPUs", "xensim: domain 1 on Xen: 3 vCPUs, vcpu_info registered on 3, FIFO event channels (init_control on 3 of them)")]
    [InlineData("2l", 2, "2-level ABI, 4096 ports, 2 vCPUs", "xensim: domain 1 on Xen: 2 vCPUs, vcpu_info registered on 2, 2-level event channels")]
    public async Task Vcpus_and_events_show_in_the_boot_log_and_on_Xens_side(string events, int vcpus, string logged, string xens)
    {
        await using var xensim = XensimProcess.Run("--vcpus", vcpus.ToString(System.Globalization.CultureInfo.InvariantCulture), "--events", events, "--disk", "/dev/null", "--for", "300");
        // xbf0 connecting needs the backend's events delivered on that ABI.
        await xensim.WaitForLinesAsync(BootSeconds, xens, "xbf0: connected");
        Assert.Contains(xensim.Lines(), l => Regex.IsMatch(l, $"^xen0: event channels: {Regex.Escape(logged)}, vcpu_info at gfn 0x[0-9a-f]+, all masked$"));
        Assert.Equal(0, await xensim.StopAsync(Signal.Term));
    }

    [Theory]
    [InlineData(new[] { "--vcpus", "0" }, "--vcpus 0")]
    [InlineData(new[] { "--vcpus", "129" }, "--vcpus 129")]
    [InlineData(new[] { "--events", "3l" }, "3l")]
    public async Task A_bad_vcpus_or_events_value_is_refused_by_name(string[] arguments, string named)
    {
        await using var xensim = XensimProcess.Run(arguments);
        Assert.NotEqual(0, await xensim.WaitForExitAsync(BootSeconds));
        Assert.Contains(xensim.Errors(), l => l.Contains(named, StringComparison.Ordinal));
        Assert.DoesNotContain(xensim.Lines(), l => l.StartsWith("xen0", StringComparison.Ordinal));
    }
}
