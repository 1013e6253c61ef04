using XenGen.Tool.Headers;
using XenGen.Tool.Releases;
using XenGen.Tool.Tests.Support;

namespace XenGen.Tool.Tests;

/// Runs the built xengen executable, as a user would.
public sealed class CommandLineTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static ShellResult Xengen(params string[] args)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "xengen.dll");
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
        return Shell.Run(dotnet, [dll, .. args], Repo.Root);
    }

    private static void AssertNoStackTrace(ShellResult r) => Assert.DoesNotContain("   at ", r.Err + r.Out);

    [Fact]
    public void Unknown_release_is_an_error_on_stderr()
    {
        var r = Xengen("headers", "path", "4.99.0", "--cache", _dir.Path);

        Assert.Equal(1, r.ExitCode);
        Assert.Contains("unknown release \"4.99.0\"", r.Err);
        Assert.Contains("4.17.5, 4.17.7, 4.20.4", r.Err);
        Assert.Equal("", r.Out);
        AssertNoStackTrace(r);
    }

    [Fact]
    public void Path_of_an_unfetched_release_says_to_fetch_it()
    {
        var r = Xengen("headers", "path", "4.20.4", "--cache", _dir.Path);

        Assert.Equal(1, r.ExitCode);
        Assert.Contains("run `xengen headers fetch 4.20.4`", r.Err);
        AssertNoStackTrace(r);
    }

    [Fact]
    public void Path_prints_the_include_dir_and_list_shows_what_is_cached()
    {
        var pin = ReleaseCatalog.LoadFromRepository(Repo.Root).Find("4.17.7");
        _dir.Write("4.17.7/include/xen/xen.h", "x");
        new CachedSource(pin.Release, pin.Package, pin.PackageVersion, pin.DebSha256, pin.HeaderTreeSha256)
            .Write(_dir.Combine("4.17.7", CachedSource.FileName));

        var path = Xengen("headers", "path", "4.17.7", "--cache", _dir.Path);
        var list = Xengen("headers", "list", "--cache", _dir.Path);

        Assert.Equal(0, path.ExitCode);
        Assert.Equal(_dir.Combine("4.17.7", "include") + "\n", path.Out);
        Assert.Equal(0, list.ExitCode);
        var rows = list.Out.Split('\n');
        Assert.Matches(@"4\.17\.5 \(default\).*\sno\s", rows.Single(l => l.Contains("4.17.5")));
        Assert.Matches(@"4\.17\.7\s+bookworm-security.*\syes\s", rows.Single(l => l.Contains("4.17.7")));
        Assert.Contains("cache: " + _dir.Path, list.Out);
    }

    [Fact]
    public void An_invalid_catalog_is_named_in_the_error()
    {
        var catalog = _dir.Write("repo/" + ReleaseCatalog.RelativePath, """{ "defaultRelease": "1", "releases": [] }""");

        var r = Xengen("headers", "list", "--repo", _dir.Combine("repo"));

        Assert.Equal(1, r.ExitCode);
        Assert.Contains(catalog + ": invalid release catalog: \"releases\" is empty", r.Err);
        AssertNoStackTrace(r);
    }
}
