namespace Xen.Conformance.Tests;

/// <summary>The simulator README's table of allowed differences: the repository's parses, a malformed row is refused by line.</summary>
public sealed class AllowedDifferencesTests
{
    [Fact]
    public void The_simulator_readme_lists_each_difference_once_with_a_reason()
    {
        var rows = SimulatorReadme.AllowedDifferences();
        Assert.All(rows, r => Assert.False(string.IsNullOrWhiteSpace(r.Reason), r.Key));
        Assert.Equal(rows.Count, rows.Select(r => r.Key).Distinct().Count());
    }

    [Fact]
    public void A_row_without_four_cells_is_an_error_naming_its_line()
    {
        string markdown = $"# x\n{AllowedDifference.Heading}\n\n| case | Xen | simulator | why |\n|---|---|---|---|\n| `dom0 a.b` | `0` | why |\n";
        var e = Assert.Throws<FormatException>(() => AllowedDifference.ParseReadme(markdown, "README.md"));
        Assert.StartsWith("README.md:6:", e.Message);
    }

    [Fact]
    public void A_readme_without_the_section_is_an_error()
    {
        var e = Assert.Throws<FormatException>(() => AllowedDifference.ParseReadme("# nothing\n", "README.md"));
        Assert.Contains(AllowedDifference.Heading, e.Message);
    }
}
