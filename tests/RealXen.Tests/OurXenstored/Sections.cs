namespace XenGen.RealXen.Tests.OurXenstored;

/// <summary>The sections a dom0 script prints: a line <c>== NAME</c>, then its lines up to the next <c>== </c> line.</summary>
internal static class Sections
{
    /// <summary>The lines of section <paramref name="name"/>; fails the test when there is none.</summary>
    public static string Of(string output, string name)
    {
        var lines = output.ReplaceLineEndings("\n").Split('\n');
        var start = Array.FindIndex(lines, l => l == "== " + name);
        Assert.True(start >= 0, $"no section '{name}' in:\n{output}");
        return string.Join('\n', lines.Skip(start + 1).TakeWhile(l => !l.StartsWith("== ", StringComparison.Ordinal)));
    }
}
