using System.CommandLine;
using XenGen.Tool.Headers;
using XenGen.Tool.Releases;

namespace XenGen.Tool.Commands;

/// <summary>Options every xengen command accepts, and what they resolve to.</summary>
internal static class GlobalOptions
{
    public static readonly Option<string?> Repo = new("--repo")
    {
        Description = "XenGen repository root (default: the nearest parent directory holding " + ReleaseCatalog.RelativePath + ")",
        HelpName = "DIR",
        Recursive = true,
    };

    public static readonly Option<string?> Cache = new("--cache")
    {
        Description = "Header cache root (default: $" + Headers.HeaderCache.EnvironmentVariable + ", else $XDG_CACHE_HOME/xengen/headers, else ~/.cache/xengen/headers)",
        HelpName = "DIR",
        Recursive = true,
    };

    public static void AddTo(RootCommand root)
    {
        root.Options.Add(Repo);
        root.Options.Add(Cache);
    }

    public static ReleaseCatalog Catalog(ParseResult result) =>
        ReleaseCatalog.LoadFromRepository(RepositoryRoot.Locate(result.GetValue(Repo), Environment.CurrentDirectory));

    public static HeaderCache HeaderCache(ParseResult result) => new(Headers.HeaderCache.ResolveRoot(result.GetValue(Cache)));
}
