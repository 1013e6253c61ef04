namespace XenGen.Repository.Tests;

/// <summary>The checkout the tests run in: the nearest folder above the test assembly that holds XenGen.sln.</summary>
internal static class RepositoryRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "XenGen.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException($"no XenGen.sln above {AppContext.BaseDirectory}");
    }
}
