using System.Security.Cryptography;

namespace XenGen.RealXen.Boot;

/// <summary>
/// The prefix of the lines realxen's scripts print on the console to report a step, a failure or COMMAND's exit
/// status. It carries a random nonce per run, so COMMAND's own output cannot be taken for one.
/// </summary>
internal sealed class ConsoleMarker
{
    /// <summary>A fresh marker.</summary>
    public ConsoleMarker() => Prefix = "realxen-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6)) + ":";

    /// <summary>A marker with a known prefix (the one a dom0 was given, for realxen guest).</summary>
    public ConsoleMarker(string prefix) => Prefix = prefix;

    /// <summary>What every marker line starts with.</summary>
    public string Prefix { get; }

    /// <summary>
    /// Finds a marker in <paramref name="line"/>: the text before it (COMMAND's output without a final newline)
    /// and the words after it (<c>step root</c>, <c>fail root mounting ... failed</c>, <c>exit 3</c>).
    /// </summary>
    public bool TryParse(string line, out string before, out string verb, out string argument)
    {
        var at = line.IndexOf(Prefix, StringComparison.Ordinal);
        if (at < 0)
        {
            before = verb = argument = "";
            return false;
        }
        before = line[..at];
        var rest = line[(at + Prefix.Length)..].Trim();
        var space = rest.IndexOf(' ');
        verb = space < 0 ? rest : rest[..space];
        argument = space < 0 ? "" : rest[(space + 1)..];
        return true;
    }
}
