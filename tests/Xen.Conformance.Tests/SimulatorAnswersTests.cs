using Xen.Conformance.Tests.Simulator;
using Xunit.Abstractions;

namespace Xen.Conformance.Tests;

/// <summary>The suite on the simulator alone: every case answers once, none with an exception.</summary>
public sealed class SimulatorAnswersTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Every_case_answers_once_on_the_simulator()
    {
        var answers = await SimulatorRun.RunAsync();
        foreach (var a in answers) output.WriteLine(a.ToString());
        Assert.DoesNotContain(answers, a => a.Answer.StartsWith("exception", StringComparison.Ordinal));
        Assert.Equal(answers.Count, answers.Select(a => a.Key).Distinct().Count());
        Assert.Contains(answers, a => a.Side == "guest" && a.Case == "gnttab.copy.frame_of_dom0");
        Assert.Contains(answers, a => a.Side == "dom0" && a.Case == "gnttab.unmap.twice");
        Assert.Contains(answers, a => a.Side == "dom0" && a.Case == "shared_info.peer.offered_after_close");
    }
}
