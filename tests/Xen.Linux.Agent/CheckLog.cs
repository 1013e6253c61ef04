namespace Xen.Linux.Agent;

/// <summary>One line per check, <c>ok</c> or <c>FAIL</c>, on standard output; the exit status counts the failures.</summary>
internal sealed class CheckLog(string side)
{
    public int Failures { get; private set; }

    public int Passed { get; private set; }

    public void Check(bool condition, string what, string detail = "")
    {
        if (condition) Passed++;
        else Failures++;
        Console.WriteLine($"{side}: {(condition ? "ok" : "FAIL")} {what}{(detail.Length == 0 ? "" : ": " + detail)}");
    }

    public void Info(string line) => Console.WriteLine($"{side}: {line}");

    public int ExitStatus()
    {
        Console.WriteLine($"{side}: {Passed} passed, {Failures} failed");
        return Failures == 0 ? 0 : 1;
    }
}
