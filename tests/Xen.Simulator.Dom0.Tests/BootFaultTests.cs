using Xen.Nexus.Hypercalls;
using HvmParams = Xen.Abi.Hvm.Params;

namespace Xen.Simulator.Dom0.Tests;

/// <summary>
/// The whole boot with its XenStore phases (core steps, xenstore, probe, unplug, unmask, control watch, feature
/// keys): every hypercall it makes, each call in turn, failing with XEN_EIO gives an error naming the operation and
/// errno, a log line of the step with it, and nothing left attached. EVTCHNOP_send is among them: the store ring's
/// notifications on the caller's thread and on the client's receive thread, and those of the watches' first events,
/// which the probe and control watch steps wait for.
/// </summary>
public sealed class BootFaultTests
{
    [Fact]
    public void Every_hypercall_call_of_the_boot_failing_in_turn_is_named_and_leaves_nothing_attached()
    {
        XenOperation[] calls;
        using (var good = new GuestOnDom0())
        {
            var recorder = new RecordingHypervisor(good.Domain.Guest);
            good.Boot(recorder, new NexusOptions { Log = good.Record });
            calls = recorder.Calls;
        }
        // The XenStore phases' own calls are among them, after the core steps'.
        Assert.Contains(XenOperations.HvmopGetParam, calls);
        Assert.Contains(XenOperations.EvtchnopSend, calls);

        var problems = new List<string>();
        foreach (var group in calls.GroupBy(c => c))
        {
            for (var nth = 1; nth <= group.Count(); nth++)
            {
                if (FailingAtOnceMade(group.Key, nth) is { } problem)
                    problems.Add(problem);
            }
        }
        Assert.True(problems.Count == 0, $"{problems.Count} calls:\n{string.Join('\n', problems)}");
    }

    /// <summary>
    /// <see cref="FailingAt"/>, tried again (3 boots at most) while the call is not made: how a ring's bytes arrive
    /// (a reply and a watch event in one read or two) may change the number of notifications from boot to boot.
    /// </summary>
    private static string? FailingAtOnceMade(XenOperation op, int nth)
    {
        string? problem = null;
        for (var attempt = 0; attempt < 3; attempt++)
        {
            problem = FailingAt(op, nth);
            if (problem is null || !problem.EndsWith(NotMade, StringComparison.Ordinal)) return problem;
        }
        return problem;
    }

    private const string NotMade = ": not made";

    private static string? FailingAt(XenOperation op, int nth)
    {
        using var sim = new GuestOnDom0();
        sim.Domain.Faults.FailNth(op.Hypercall, (uint)op.Command, nth, Xen.Abi.XenErrno.XenEio);
        var e = Record.Exception(() => sim.Boot());
        var named = $"{op.Name}: XEN_EIO";
        var at = $"{op.Name} call {nth}";
        if (sim.Domain.Faults.Fired != 1)
            return at + NotMade;
        if (e is null)
            return $"{at}: the boot did not fail";
        if (!Chain(e).Any(x => x.Message.Contains(named, StringComparison.Ordinal)))
            return $"{at}: {e.GetType().Name} \"{e.Message}\" does not name it";
        if (!sim.Lines().Any(l => l.StartsWith("xen0: ", StringComparison.Ordinal) && l.Contains(named, StringComparison.Ordinal)))
            return $"{at}: no log line names the step and error";
        if (sim.Phases!.Store is not null || sim.Phases.Probe.Probe is not null)
            return $"{at}: the store or the probe is left";
        if (sim.Domain.GetHvmParam(HvmParams.HvmParamCallbackIrq) != 0)
            return $"{at}: HVM_PARAM_CALLBACK_IRQ left set";
        return null;
    }

    private static IEnumerable<Exception> Chain(Exception e)
    {
        for (Exception? x = e; x is not null; x = x.InnerException)
        {
            yield return x;
            if (x is AggregateException a)
                foreach (var inner in a.InnerExceptions.SelectMany(Chain)) yield return inner;
        }
    }
}
