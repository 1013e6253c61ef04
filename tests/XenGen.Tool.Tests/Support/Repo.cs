using XenGen.Tool.Releases;

namespace XenGen.Tool.Tests.Support;

public static class Repo
{
    /// The checkout the tests run from.
    public static string Root { get; } = RepositoryRoot.Locate(null, AppContext.BaseDirectory);

    public static string CatalogPath => Path.Combine(Root, ReleaseCatalog.RelativePath);
}
