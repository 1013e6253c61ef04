using XenGen.RealXen.Boot;

namespace XenGen.RealXen.Tests;

/// <summary>The console reader on lines as Xen 4.17, Linux 6.1 and the scripts print them (taken from real boots).</summary>
public sealed class BootMonitorTests
{
    private readonly ConsoleMarker _marker = new();
    private readonly StringWriter _output = new();
    private readonly List<BootStep> _steps = [];

    private BootMonitor Monitor() => new(_marker, _output, _steps.Add);

    [Fact]
    public void Steps_follow_Xen_then_Linux_then_the_markers_and_COMMANDs_output_and_status_come_out()
    {
        var monitor = Monitor();
        foreach (var line in new[]
        {
            " Xen 4.17.6-pre",
            "(XEN) Xen version 4.17.6-pre (Debian 4.17.5+72-g01140da4e8-1) (pkg-xen-devel@lists.alioth.debian.org) (x86_64-linux-gnu-gcc (Debian 12.2.0-14) 12.2.0) debug=n Tue May 20 10:11:12 UTC 2025",
            "(XEN) *** LOADING DOMAIN 0 ***",
            "[    0.000000] Linux version 6.1.0-57-amd64 (debian-kernel@lists.debian.org)",
            _marker.Prefix + "step modules", _marker.Prefix + "step root", _marker.Prefix + "step xenstored",
            _marker.Prefix + "step command",
            "Name                                        ID   Mem VCPUs\tState\tTime(s)",
            "(XEN) d1v0: upcall vector 0",
            "(d1) some guest's debug port output",
            "no newline at the end" + _marker.Prefix + "exit 3",
            "after the status: ignored",
        }) monitor.OnLine(line + "\r");

        Assert.Equal([BootStep.Xen, BootStep.Dom0Kernel, BootStep.Modules, BootStep.Root, BootStep.Xenstored, BootStep.Command], _steps);
        Assert.Equal(3, monitor.ExitStatus);
        Assert.Null(monitor.Failure);
        Assert.Equal("Name                                        ID   Mem VCPUs\tState\tTime(s)\nno newline at the end\n", _output.ToString().ReplaceLineEndings("\n"));
    }

    [Fact]
    public void A_Xen_panic_while_building_dom0_fails_the_dom0_kernel_step_with_Xens_message()
    {
        var monitor = Monitor();
        foreach (var line in new[]
        {
            "(XEN) *** LOADING DOMAIN 0 ***",
            "(XEN) ****************************************",
            "(XEN) Panic on CPU 0:",
            "(XEN) Could not construct domain 0",
            "(XEN) ****************************************",
        }) monitor.OnLine(line);

        Assert.Equal(BootStep.Dom0Kernel, monitor.Step);
        Assert.Equal("Xen panicked: Could not construct domain 0", monitor.Failure);
        Assert.Null(monitor.ExitStatus);
    }

    [Fact]
    public void A_scripts_failure_marker_names_its_step_and_a_kernel_panic_fails_the_step_it_is_in()
    {
        var failed = Monitor();
        failed.OnLine("(XEN) Xen version 4.17");
        failed.OnLine(_marker.Prefix + "fail root mounting the host's root over 9p failed");
        Assert.Equal(BootStep.Root, failed.Step);
        Assert.Equal("mounting the host's root over 9p failed", failed.Failure);

        var panicked = Monitor();
        panicked.OnLine("[    0.000000] Linux version 6.1.0-57-amd64");
        panicked.OnLine(_marker.Prefix + "step modules");
        panicked.OnLine("[    2.100000] Kernel panic - not syncing: Attempted to kill init! exitcode=0x00000100");
        Assert.Equal(BootStep.Modules, panicked.Step);
        Assert.Equal("the dom0 kernel panicked: Attempted to kill init! exitcode=0x00000100", panicked.Failure);
    }

    [Fact]
    public void A_marker_with_another_runs_nonce_is_COMMANDs_output_not_a_status()
    {
        var monitor = Monitor();
        monitor.OnLine(_marker.Prefix + "step command");
        var forged = new ConsoleMarker().Prefix + "exit 0";
        monitor.OnLine(forged);
        Assert.Null(monitor.ExitStatus);
        Assert.Contains(forged, _output.ToString(), StringComparison.Ordinal);
        monitor.OnEnd("the machine powered off");
        Assert.Equal("the machine powered off", monitor.Failure);
    }

    [Fact]
    public async Task Console_lines_end_at_newlines_only_and_lose_their_carriage_returns()
    {
        var bytes = "one\r\r\ntwo\r\nthr\u00e9e\nlast"u8.ToArray();
        var reader = new ConsoleLineReader(new MemoryStream(bytes));
        var lines = new List<string>();
        while (await reader.ReadLineAsync(CancellationToken.None) is { } line) lines.Add(line);
        Assert.Equal(["one", "two", "thr\u00e9e", "last"], lines);
    }
}
