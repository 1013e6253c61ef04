using System.Text.RegularExpressions;

namespace Xen.Conformance;

/// <summary>
/// What one case answered on one side (<c>dom0</c> or <c>guest</c>), printed as one line:
/// <c>conformance dom0 evtchn.send.closed = -EINVAL</c>.
/// </summary>
public sealed partial record CaseAnswer(string Side, string Case, string Answer)
{
    private const string Prefix = "conformance";

    /// <summary>The side and case, as the comparer and the allowed differences name them: <c>dom0 evtchn.send.closed</c>.</summary>
    public string Key => $"{Side} {Case}";

    /// <summary>The printed line.</summary>
    public override string ToString() => $"{Prefix} {Side} {Case} = {Answer}";

    /// <summary>Every answer line in <paramref name="text"/> (other lines, such as console noise, are skipped).</summary>
    public static IReadOnlyList<CaseAnswer> ParseAll(string text)
    {
        var answers = new List<CaseAnswer>();
        foreach (Match m in Line().Matches(text))
        {
            answers.Add(new CaseAnswer(m.Groups[1].Value, m.Groups[2].Value, m.Groups[3].Value.TrimEnd('\r')));
        }
        return answers;
    }

    [GeneratedRegex(@"^conformance (dom0|guest) (\S+) = (.*)$", RegexOptions.Multiline)]
    private static partial Regex Line();
}
