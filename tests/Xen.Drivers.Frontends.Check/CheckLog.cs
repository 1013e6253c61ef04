namespace Xen.Drivers.Frontends.Check;

/// <summary>One line per check, <c>ok</c> or <c>FAIL</c>, on standard output; the exit status counts the failures.</summary>
internal sealed class CheckLog(string side)
{
    private readonly object gate = new();

    public int Failures { get; private set; }

    public int Passed { get; private set; }

    public void Check(bool condition, string what, string detail = "")
    {
        lock (gate)
        {
            if (condition) Passed++;
            else Failures++;
            Console.WriteLine($"{side}: {(condition ? "ok" : "FAIL")} {what}{(detail.Length == 0 ? "" : ": " + detail)}");
        }
    }

    /// <summary>A check that failed with an exception, named by what was being done.</summary>
    public void Failed(string what, Exception e) => Check(false, what, $"{e.GetType().Name}: {e.Message}");

    public void Info(string line)
    {
        lock (gate) Console.WriteLine($"{side}: {line}");
    }

    public int ExitStatus()
    {
        Info($"{Passed} passed, {Failures} failed");
        return Failures == 0 ? 0 : 1;
    }
}
