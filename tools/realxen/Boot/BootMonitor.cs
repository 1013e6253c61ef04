using System.Text.RegularExpressions;

namespace XenGen.RealXen.Boot;

/// <summary>
/// Reads the machine's serial console line by line: follows the boot steps (Xen's and Linux's own lines, then the
/// scripts' markers), relays COMMAND's output, and ends with COMMAND's exit status or the failure and its step.
/// </summary>
internal sealed partial class BootMonitor(ConsoleMarker marker, TextWriter output, Action<BootStep> stepStarted)
{
    private const int RecentLineCount = 40;
    private readonly Queue<string> _recent = new();
    private bool _xenPanicking;

    /// <summary>The step the boot is in (or failed in).</summary>
    public BootStep Step { get; private set; } = BootStep.Firmware;

    /// <summary>COMMAND's exit status, once its marker has come.</summary>
    public int? ExitStatus { get; private set; }

    /// <summary>Why the boot failed, once it has.</summary>
    public string? Failure { get; private set; }

    /// <summary>Whether the console has said all it will: an exit status or a failure.</summary>
    public bool Finished => ExitStatus is not null || Failure is not null;

    /// <summary>The last lines of the console (for a failure report).</summary>
    public IReadOnlyCollection<string> RecentLines => _recent;

    /// <summary>Lines from Xen (<c>(XEN)</c>) and guests' debug port (<c>(d1)</c>) while COMMAND runs, for --verbose.</summary>
    public TextWriter? HypervisorLines { get; init; }

    /// <summary>Every console line before COMMAND runs, for --verbose.</summary>
    public TextWriter? BootLines { get; init; }

    /// <summary>Takes one console line (without its line ending).</summary>
    public void OnLine(string line)
    {
        line = line.TrimEnd('\r');
        Remember(line);
        if (Finished) return;
        if (marker.TryParse(line, out var before, out var verb, out var argument))
        {
            if (before.Length > 0 && Step == BootStep.Command) output.WriteLine(before);
            OnMarker(verb, argument);
            return;
        }
        var fromXen = line.StartsWith("(XEN)", StringComparison.Ordinal);
        if (fromXen) OnXenLine(line[5..].Trim());
        else if (line.Contains("Kernel panic - not syncing", StringComparison.Ordinal)) Fail($"the dom0 kernel panicked: {line[(line.IndexOf("Kernel panic", StringComparison.Ordinal) + 27)..].Trim()}");
        else if (Step == BootStep.Xen && line.Contains("Linux version", StringComparison.Ordinal)) Advance(BootStep.Dom0Kernel);

        if (Step != BootStep.Command) BootLines?.WriteLine(line);
        else if (fromXen || GuestDebugLine().IsMatch(line)) HypervisorLines?.WriteLine(line);
        else output.WriteLine(line);
    }

    /// <summary>The console ended (QEMU exited) before COMMAND's status came.</summary>
    public void OnEnd(string why)
    {
        if (!Finished) Fail(why);
    }

    private void OnMarker(string verb, string argument)
    {
        switch (verb)
        {
            case "step" when BootSteps.Parse(argument) is { } step:
                Advance(step);
                break;
            case "fail":
            {
                var space = argument.IndexOf(' ');
                var step = BootSteps.Parse(space < 0 ? argument : argument[..space]);
                if (step is { } s) Step = s;
                Fail(space < 0 ? "failed" : argument[(space + 1)..]);
                break;
            }
            case "exit" when int.TryParse(argument, out var status):
                ExitStatus = status;
                break;
            case "halt":
                Fail($"dom0's stage ended (status {argument}) before COMMAND's status was reported");
                break;
        }
    }

    private void OnXenLine(string text)
    {
        if (Step == BootStep.Firmware) Advance(BootStep.Xen);
        if (_xenPanicking && !text.StartsWith('*'))
        {
            Fail($"Xen panicked: {text}");
            return;
        }
        if (text.StartsWith("Panic on CPU", StringComparison.Ordinal)) _xenPanicking = true;
        else if (text.Contains("LOADING DOMAIN 0", StringComparison.Ordinal)) Advance(BootStep.Dom0Kernel);
    }

    private void Advance(BootStep step)
    {
        if (step < Step) return;
        var changed = step != Step;
        Step = step;
        if (changed || step == BootStep.Modules) stepStarted(step);
    }

    private void Fail(string why) => Failure ??= why;

    private void Remember(string line)
    {
        _recent.Enqueue(line);
        while (_recent.Count > RecentLineCount) _recent.Dequeue();
    }

    [GeneratedRegex(@"^\(d\d+\) ")]
    private static partial Regex GuestDebugLine();
}
