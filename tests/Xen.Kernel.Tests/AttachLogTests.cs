namespace Xen.Kernel.Tests;

/// <summary>The comparison of attach logs can fail: the nexus's own log, changed in one word or in its order, must not pass.</summary>
public sealed class AttachLogTests
{
    [Fact]
    public void The_comparison_accepts_the_nexus_log_and_rejects_a_changed_word_or_order()
    {
        var nexus = Xensim.AttachLog();
        Assert.Null(AttachLogs.Compare(nexus.Select(ToKernelDeviceLine).ToList(), nexus));

        var otherAbi = nexus.Select(l => l.Replace("2-level ABI", "FIFO ABI", StringComparison.Ordinal)).Select(ToKernelDeviceLine).ToList();
        Assert.Contains("event channels", AttachLogs.Compare(otherAbi, nexus) ?? "", StringComparison.Ordinal);

        var swapped = nexus.Select(ToKernelDeviceLine).ToList();
        var shared = swapped.FindIndex(l => l.StartsWith("xen0: shared info ", StringComparison.Ordinal));
        var grants = swapped.FindIndex(l => l.StartsWith("xen0: grant table ", StringComparison.Ordinal));
        (swapped[shared], swapped[grants]) = (swapped[grants], swapped[shared]);
        Assert.Contains("order", AttachLogs.Compare(swapped, nexus) ?? "", StringComparison.Ordinal);

        // The names are values, but a features line without them is not the nexus's.
        var unnamed = nexus.Select(l => System.Text.RegularExpressions.Regex.Replace(l, "^(xen0: features 0x[0-9a-f]+)<.*>$", "$1")).Select(ToKernelDeviceLine).ToList();
        Assert.Contains("features", AttachLogs.Compare(unnamed, nexus) ?? "", StringComparison.Ordinal);

        var noConsole = nexus.Where(l => !l.StartsWith("xencons0 at xen0: ", StringComparison.Ordinal)).Select(ToKernelDeviceLine).ToList();
        Assert.Contains("console", AttachLogs.Compare(noConsole, nexus) ?? "", StringComparison.Ordinal);
    }

    /// <summary>The nexus's device line as the kernel words it (class for unit, "not configured"), values kept.</summary>
    private static string ToKernelDeviceLine(string line) =>
        System.Text.RegularExpressions.Regex.Replace(line, @"^(xbf|xnf)\d+ at xen0: (device/(vbd|vif)/.*)$", m => $"\"{m.Groups[3].Value}\" at xen0: {m.Groups[2].Value} not configured");
}
