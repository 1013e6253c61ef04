namespace Xen.Conformance;

/// <summary>
/// Compares real Xen's answers with the simulator's, case by case. Conformant means: every case answered once on
/// both, each answer the same except exactly the allowed differences (with both answers as listed); a listed
/// difference that is no longer there is reported too, so the list stays true.
/// </summary>
public static class ConformanceComparer
{
    /// <summary>The comparison of <paramref name="xen"/> and <paramref name="simulator"/>.</summary>
    public static ComparisonResult Compare(IReadOnlyList<CaseAnswer> xen, IReadOnlyList<CaseAnswer> simulator, IReadOnlyList<AllowedDifference> allowed)
    {
        var problems = new List<string>();
        var xenByKey = Index(xen, "Xen", problems);
        var simByKey = Index(simulator, "the simulator", problems);
        var allowedByKey = new Dictionary<string, AllowedDifference>();
        foreach (var a in allowed)
        {
            if (!allowedByKey.TryAdd(a.Key, a)) problems.Add($"{a.Key}: listed twice as an allowed difference");
        }

        int same = 0, known = 0;
        foreach (var key in xenByKey.Keys.Union(simByKey.Keys).Order(StringComparer.Ordinal))
        {
            bool inXen = xenByKey.TryGetValue(key, out var x), inSim = simByKey.TryGetValue(key, out var s);
            if (!inXen) { problems.Add($"{key}: the simulator answered '{s}', Xen did not answer"); continue; }
            if (!inSim) { problems.Add($"{key}: Xen answered '{x}', the simulator did not answer"); continue; }
            allowedByKey.Remove(key, out var listed);
            if (x == s)
            {
                if (listed is null) same++;
                else problems.Add($"{key}: listed as a difference (Xen '{listed.Xen}', simulator '{listed.Simulator}') but both answer '{x}'");
            }
            else if (listed is not null && listed.Xen == x && listed.Simulator == s) known++;
            else if (listed is not null) problems.Add($"{key}: Xen '{x}', simulator '{s}', but the listed difference is Xen '{listed.Xen}', simulator '{listed.Simulator}'");
            else problems.Add($"{key}: Xen '{x}', simulator '{s}'");
        }
        foreach (var stale in allowedByKey.Values) problems.Add($"{stale.Key}: listed as a difference but no side answered it");
        return new ComparisonResult(same, known, problems);
    }

    private static Dictionary<string, string> Index(IReadOnlyList<CaseAnswer> answers, string who, List<string> problems)
    {
        var byKey = new Dictionary<string, string>();
        foreach (var a in answers)
        {
            if (!byKey.TryAdd(a.Key, a.Answer)) problems.Add($"{a.Key}: {who} answered twice ('{byKey[a.Key]}', '{a.Answer}')");
        }
        return byKey;
    }
}

/// <summary>What <see cref="ConformanceComparer.Compare"/> found: how many cases agreed, how many differ as listed, and every problem.</summary>
public sealed record ComparisonResult(int Same, int KnownDifferences, IReadOnlyList<string> Problems)
{
    /// <summary>No problem: the simulator answers as Xen does, but for the listed differences.</summary>
    public bool Conformant => Problems.Count == 0;

    /// <summary>A summary line and each problem on its own line.</summary>
    public override string ToString() =>
        $"{Same} cases answered alike, {KnownDifferences} listed differences, {Problems.Count} problems" +
        string.Concat(Problems.Select(p => "\n  " + p));
}
