using System.Reflection;

namespace XenGen.RealXen.Boot;

/// <summary>The shell scripts under <c>Scripts/</c> (embedded), with their <c>@NAME@</c> placeholders filled in.</summary>
internal static class ScriptTemplate
{
    /// <summary>The script <paramref name="name"/> with every placeholder replaced; a placeholder left over is a bug.</summary>
    public static string Render(string name, IReadOnlyDictionary<string, string> values)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"no embedded script {name}");
        var text = new StreamReader(stream).ReadToEnd();
        foreach (var (key, value) in values) text = text.Replace("@" + key + "@", value, StringComparison.Ordinal);
        var left = System.Text.RegularExpressions.Regex.Match(text, "@[A-Z_]+@");
        if (left.Success) throw new InvalidOperationException($"{name}: placeholder {left.Value} has no value");
        return text;
    }

    /// <summary>Quotes <paramref name="word"/> for sh (single quotes; a single quote inside as <c>'\''</c>).</summary>
    public static string Quote(string word) => "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    /// <summary>
    /// COMMAND as a script: one word is a shell command line as it is (<c>"xl list; xl info"</c>); several words are
    /// one command with those arguments, each quoted.
    /// </summary>
    public static string Command(IReadOnlyList<string> words) =>
        (words.Count == 1 ? words[0] : string.Join(' ', words.Select(Quote))) + "\n";
}
