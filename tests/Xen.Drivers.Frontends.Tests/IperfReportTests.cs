using Xen.Drivers.Frontends.Check;
using Xunit;

namespace Xen.Drivers.Frontends.Tests;

/// <summary>The check's reading of iperf3's JSON report: a run's bytes, and a failed run as iperf3's own error.</summary>
public sealed class IperfReportTests
{
    [Fact]
    public void A_finished_run_gives_the_receivers_bytes_and_rate()
    {
        var report = IperfReport.Parse("""{"start":{},"intervals":[],"end":{"sum_sent":{"bytes":9,"bits_per_second":1},"sum_received":{"bytes":1048576,"bits_per_second":2.5e6}}}""");
        Assert.Equal(new IperfReport(1048576, 2.5e6, null), report);
    }

    [Fact]
    public void A_failed_run_is_iperf3s_error()
    {
        // The report iperf3 3.12 writes with -J when it cannot reach the server: an empty end and an error member.
        var report = IperfReport.Parse("""{"start":{"connected":[]},"intervals":[],"end":{},"error":"unable to connect to server - server may have stopped running or use a different port, firewall issue, etc.: Connection timed out"}""");
        Assert.Equal(0, report.Bytes);
        Assert.Equal("iperf3: unable to connect to server - server may have stopped running or use a different port, firewall issue, etc.: Connection timed out", report.Error);
    }

    [Theory]
    [InlineData("""{"start":{},"end":{}}""", "no end.sum_received")]
    [InlineData("""{"end":{"sum_received":{"bytes":"many"}}}""", "no end.sum_received")]
    [InlineData("[1]", "a JSON Array")]
    [InlineData("iperf3: error - unable to connect", "not iperf3's JSON report")]
    [InlineData("", "not iperf3's JSON report")]
    public void Output_that_is_not_a_report_is_an_error_saying_so(string output, string expected)
    {
        var report = IperfReport.Parse(output);
        Assert.Contains(expected, report.Error);
        Assert.Equal(0, report.Bytes);
    }
}
