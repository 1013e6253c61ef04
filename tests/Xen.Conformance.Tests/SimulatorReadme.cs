namespace Xen.Conformance.Tests;

/// <summary>simulator/README.md, where the differences from real Xen are listed with their reasons.</summary>
internal static class SimulatorReadme
{
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "XenGen.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException($"no XenGen.sln above {AppContext.BaseDirectory}");
    }

    public static IReadOnlyList<AllowedDifference> AllowedDifferences()
    {
        string path = Path.Combine(RepositoryRoot(), "simulator", "README.md");
        return AllowedDifference.ParseReadme(File.ReadAllText(path), path);
    }
}
