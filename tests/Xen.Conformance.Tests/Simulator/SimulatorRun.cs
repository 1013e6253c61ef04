namespace Xen.Conformance.Tests.Simulator;

/// <summary>The whole suite on a simulated Xen with dom0 and one guest, as xen-conformance runs it on real Xen.</summary>
public static class SimulatorRun
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    /// <summary>dom0's answers, then the guest's.</summary>
    public static async Task<IReadOnlyList<CaseAnswer>> RunAsync()
    {
        using var xen = new SimulatedXen();
        var dom0 = new SimulatedXenDomain(xen.Dom0);
        var guest = new SimulatedXenDomain(xen.CreateDomain());
        var dom0Log = new CaseLog("dom0");
        var guestLog = new CaseLog("guest");
        ConformanceSuite.RunAlone(dom0, dom0Log, privileged: true);
        var link = new InMemoryLink();
        using var cancel = new CancellationTokenSource(Timeout);
        var guestRun = Task.Run(() => ConformanceSuite.RunGuestAsync(guest, new SimulatedGranter(guest), link, guestLog, cancel.Token));
        var dom0Run = Task.Run(() => ConformanceSuite.RunDom0WithGuestAsync(dom0, link, dom0Log, cancel.Token));
        await Task.WhenAll(guestRun, dom0Run).WaitAsync(Timeout);
        // The guest's answers as dom0 received them, as on real Xen; that they are all of them is checked too.
        var guestAnswers = await dom0Run;
        if (!guestAnswers.SequenceEqual(guestLog.Answers)) throw new InvalidOperationException($"dom0 received {guestAnswers.Count} of the guest's answers, it gave {guestLog.Answers.Count}");
        return [.. dom0Log.Answers, .. guestAnswers];
    }
}
