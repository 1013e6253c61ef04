using System.Diagnostics.CodeAnalysis;

namespace XenGen.Tool.Headers;

/// <summary>
/// The local cache of fetched Xen header trees, kept outside the repository. A release lives at
/// <c>&lt;root&gt;/&lt;release&gt;/include/xen/...</c> beside <c>&lt;root&gt;/&lt;release&gt;/source.json</c>
/// (<see cref="CachedSource"/>); trees get there only through <c>xengen headers fetch</c>.
/// </summary>
/// <example>
/// <code>
/// var include = HeaderCache.Default.IncludeDirOf("4.17.5");   // ".../4.17.5/include", holds xen/
/// </code>
/// </example>
public sealed class HeaderCache
{
    /// <summary>Environment variable that sets the cache root when no <c>--cache</c> option is given.</summary>
    public const string EnvironmentVariable = "XENGEN_HEADER_CACHE";

    /// <summary>Opens (without creating) the cache at <paramref name="root"/>.</summary>
    public HeaderCache(string root) => Root = Path.GetFullPath(root);

    /// <summary>The cache at its default place: see <see cref="ResolveRoot(string?)"/> with no option.</summary>
    public static HeaderCache Default => new(ResolveRoot(null));

    /// <summary>Absolute path of the cache root.</summary>
    public string Root { get; }

    /// <summary>
    /// The cache root: <paramref name="option"/> (the <c>--cache</c> option) when given, else <c>$XENGEN_HEADER_CACHE</c>,
    /// else <c>$XDG_CACHE_HOME/xengen/headers</c>, else <c>~/.cache/xengen/headers</c>.
    /// </summary>
    public static string ResolveRoot(string? option) =>
        ResolveRoot(option, Environment.GetEnvironmentVariable,
            Environment.GetFolderPath(Environment.SpecialFolder.UserProfile));

    internal static string ResolveRoot(string? option, Func<string, string?> environment, string home)
    {
        if (!string.IsNullOrEmpty(option))
            return Path.GetFullPath(option);
        if (environment(EnvironmentVariable) is { Length: > 0 } fromEnv)
            return Path.GetFullPath(fromEnv);
        if (environment("XDG_CACHE_HOME") is { Length: > 0 } xdg)
            return Path.Combine(Path.GetFullPath(xdg), "xengen", "headers");
        return Path.Combine(home, ".cache", "xengen", "headers");
    }

    /// <summary>The directory of one release: <c>&lt;root&gt;/&lt;release&gt;</c> (it may not exist).</summary>
    public string ReleaseDir(string release) => Path.Combine(Root, release);

    /// <summary>
    /// The include directory of a fetched release: the directory that contains <c>xen/</c>, to pass as <c>-I</c>.
    /// </summary>
    /// <exception cref="XenGenException">The release is not in the cache; the message says to fetch it.</exception>
    public string IncludeDirOf(string release) =>
        TryGetIncludeDir(release, out var includeDir)
            ? includeDir
            : throw new XenGenException(
                $"headers of release {release} are not in the cache {Root}; run `xengen headers fetch {release}`");

    /// <summary>Like <see cref="IncludeDirOf"/>, returning false instead of throwing when the release is not cached.</summary>
    public bool TryGetIncludeDir(string release, [NotNullWhen(true)] out string? includeDir)
    {
        var dir = ReleaseDir(release);
        var candidate = Path.Combine(dir, "include");
        if (Directory.Exists(Path.Combine(candidate, "xen")) && File.Exists(Path.Combine(dir, CachedSource.FileName)))
        {
            includeDir = candidate;
            return true;
        }
        includeDir = null;
        return false;
    }

    /// <summary>Where a cached release came from, or null when it is not cached.</summary>
    /// <exception cref="XenGenException">The record exists but cannot be read.</exception>
    public CachedSource? ReadSource(string release)
    {
        var path = Path.Combine(ReleaseDir(release), CachedSource.FileName);
        return File.Exists(path) ? CachedSource.Read(path) : null;
    }

    /// <summary>
    /// Moves a complete release directory (<c>include/xen</c> and <c>source.json</c>) built under
    /// <see cref="Root"/> into place by renaming it, replacing any previous copy.
    /// </summary>
    internal void Install(string release, string stagedDir)
    {
        var target = ReleaseDir(release);
        string? previous = null;
        if (Directory.Exists(target))
        {
            previous = Path.Combine(Root, $".old-{release}-{Guid.NewGuid():N}");
            Directory.Move(target, previous);
        }
        try
        {
            Directory.Move(stagedDir, target);
        }
        catch when (previous is not null)
        {
            Directory.Move(previous, target);
            throw;
        }
        if (previous is not null)
            Directory.Delete(previous, recursive: true);
    }

    /// <summary>Creates an empty scratch directory inside the cache root, so that <see cref="Install"/> is a rename.</summary>
    internal string CreateScratchDir(string release)
    {
        var dir = Path.Combine(Root, $".fetch-{release}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        return dir;
    }
}
