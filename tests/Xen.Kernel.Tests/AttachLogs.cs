using System.Text.RegularExpressions;

namespace Xen.Kernel.Tests;

/// <summary>
/// The kernel's attach log against the nexus's (xensim) for the steps both make, line for line except values:
/// numbers, quoted strings and the list of feature names are replaced before the lines are compared, and the steps
/// must come in the same order. A device line is compared from its path on (the kernel has no drivers, so it
/// names the device class where the nexus names its driver's unit, and says "not configured").
/// </summary>
internal static partial class AttachLogs
{
    private sealed record Step(string Name, Regex Kernel, Regex Nexus);

    private static readonly Step[] Steps =
    [
        new("detect", new("^xen0 at pvbus0: "), new("^xen0 at pvbus0: ")),
        new("hypercall page", new("^xen0: hypercall page "), new("^xen0: hypercall page ")),
        new("features", new("^xen0: features "), new("^xen0: features ")),
        new("shared info", new("^xen0: shared info "), new("^xen0: shared info ")),
        new("callback vector", new("^xen0: (no )?callback vector"), new("^xen0: (no )?callback vector")),
        new("event channels", new("^xen0: event channels: "), new("^xen0: event channels: ")),
        new("grant table", new("^xen0: grant table "), new("^xen0: grant table ")),
        new("console", new("^xencons0( at xen0:|: no console)"), new("^xencons0( at xen0:|: no console)")),
        new("xenstore", new("^xenstore0 at xen0: "), new("^xenstore0 at xen0: ")),
        new("vbd", new("^\"vbd\" at xen0: (device/vbd/.*) not configured$"), new(@"^xbf\d+ at xen0: (device/vbd/.*)$")),
        new("vif", new("^\"vif\" at xen0: (device/vif/.*) not configured$"), new(@"^xnf\d+ at xen0: (device/vif/.*)$")),
        new("control watch", new("^xen0: watching control/shutdown$"), new("^xen0: watching control/shutdown$")),
        new("shutdown request", new("^xen0: shutdown request "), new("^xen0: shutdown request ")),
    ];

    /// <summary>A line without its values.</summary>
    public static string Shape(string line)
    {
        line = Quoted().Replace(line, "\"S\"");
        line = FeatureNames().Replace(line, "<F>");
        line = Hex().Replace(line, "X");
        return Decimal().Replace(line, "N");
    }

    /// <summary>Null when the two logs agree on every step; else what differs, one line each.</summary>
    public static string? Compare(IReadOnlyList<string> kernel, IReadOnlyList<string> nexus)
    {
        var differences = new List<string>();
        var kernelOrder = new List<(int At, string Step)>();
        var nexusOrder = new List<(int At, string Step)>();
        foreach (var step in Steps)
        {
            var k = Find(kernel, step.Kernel);
            var n = Find(nexus, step.Nexus);
            if (k is null || n is null)
            {
                differences.Add($"{step.Name}: {(k is null ? "no kernel line" : "")}{(k is null && n is null ? ", " : "")}{(n is null ? "no nexus line" : "")}");
                continue;
            }
            kernelOrder.Add((k.Value.At, step.Name));
            nexusOrder.Add((n.Value.At, step.Name));
            if (Shape(k.Value.Text) != Shape(n.Value.Text))
                differences.Add($"{step.Name}: kernel \"{kernel[k.Value.At]}\" is not nexus \"{nexus[n.Value.At]}\" (shapes \"{Shape(k.Value.Text)}\" and \"{Shape(n.Value.Text)}\")");
        }
        var byKernel = kernelOrder.OrderBy(s => s.At).Select(s => s.Step).ToList();
        var byNexus = nexusOrder.OrderBy(s => s.At).Select(s => s.Step).ToList();
        if (!byKernel.SequenceEqual(byNexus))
            differences.Add($"order: kernel {string.Join(", ", byKernel)}; nexus {string.Join(", ", byNexus)}");
        return differences.Count == 0 ? null : string.Join('\n', differences);
    }

    /// <summary>The first line the step's pattern matches, and what is compared of it (its group 1 if it has one).</summary>
    private static (int At, string Text)? Find(IReadOnlyList<string> log, Regex pattern)
    {
        for (var i = 0; i < log.Count; i++)
        {
            var m = pattern.Match(log[i]);
            if (m.Success)
                return (i, m.Groups.Count > 1 && m.Groups[1].Success && m.Groups[1].Value.StartsWith("device/", StringComparison.Ordinal) ? m.Groups[1].Value : log[i]);
        }
        return null;
    }

    [GeneratedRegex("\"[^\"]*\"")]
    private static partial Regex Quoted();

    [GeneratedRegex("<[^>]*>")]
    private static partial Regex FeatureNames();

    [GeneratedRegex("0x[0-9a-f]+")]
    private static partial Regex Hex();

    [GeneratedRegex(@"\d+")]
    private static partial Regex Decimal();
}
