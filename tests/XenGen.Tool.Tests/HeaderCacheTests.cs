using XenGen.Tool.Headers;
using XenGen.Tool.Tests.Support;

namespace XenGen.Tool.Tests;

public sealed class HeaderCacheTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Root_comes_from_option_then_environment_then_xdg_then_home()
    {
        var env = new Dictionary<string, string?>
        {
            [HeaderCache.EnvironmentVariable] = "/env/cache",
            ["XDG_CACHE_HOME"] = "/xdg",
        };
        string? Lookup(string name) => env.GetValueOrDefault(name);

        Assert.Equal("/opt/c", HeaderCache.ResolveRoot("/opt/c", Lookup, "/home/u"));
        Assert.Equal("/env/cache", HeaderCache.ResolveRoot(null, Lookup, "/home/u"));
        env[HeaderCache.EnvironmentVariable] = "";
        Assert.Equal("/xdg/xengen/headers", HeaderCache.ResolveRoot(null, Lookup, "/home/u"));
        env.Remove("XDG_CACHE_HOME");
        Assert.Equal("/home/u/.cache/xengen/headers", HeaderCache.ResolveRoot(null, Lookup, "/home/u"));
    }

    [Fact]
    public void A_missing_release_says_how_to_fetch_it()
    {
        var cache = new HeaderCache(_dir.Path);

        Assert.False(cache.TryGetIncludeDir("4.17.5", out var none));
        Assert.Null(none);
        Assert.Null(cache.ReadSource("4.17.5"));
        var e = Assert.Throws<XenGenException>(() => cache.IncludeDirOf("4.17.5"));
        Assert.Contains("run `xengen headers fetch 4.17.5`", e.Message);
        Assert.Contains(_dir.Path, e.Message);
    }

    [Fact]
    public void A_tree_without_its_source_record_is_not_a_cached_release()
    {
        _dir.Write("4.17.5/include/xen/xen.h", "x");
        var cache = new HeaderCache(_dir.Path);

        Assert.False(cache.TryGetIncludeDir("4.17.5", out _));

        new CachedSource("4.17.5", "libxen-dev", "1.0-1", new string('a', 64), new string('b', 64))
            .Write(_dir.Combine("4.17.5", CachedSource.FileName));
        Assert.True(cache.TryGetIncludeDir("4.17.5", out var include));
        Assert.Equal(_dir.Combine("4.17.5", "include"), include);
        Assert.Equal(include, cache.IncludeDirOf("4.17.5"));
        Assert.Equal("1.0-1", cache.ReadSource("4.17.5")!.PackageVersion);
    }

    [Fact]
    public void Source_record_round_trips_and_keeps_debian_versions_readable()
    {
        var record = new CachedSource("4.17.5", "libxen-dev", "4.17.5+72-g01140da4e8-1", new string('a', 64), new string('b', 64));
        var path = _dir.Combine("source.json");

        record.Write(path);

        Assert.Contains("\"packageVersion\": \"4.17.5+72-g01140da4e8-1\"", File.ReadAllText(path));
        Assert.Equal(record, CachedSource.Read(path));
        File.WriteAllText(path, "{ \"release\": \"x\" }");
        Assert.Contains(path + ": cannot read the cache record", Assert.Throws<XenGenException>(() => CachedSource.Read(path)).Message);
    }
}
