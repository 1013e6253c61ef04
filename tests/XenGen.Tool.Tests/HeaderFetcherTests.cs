using XenGen.Tool.Headers;
using XenGen.Tool.Releases;
using XenGen.Tool.Tests.Support;

namespace XenGen.Tool.Tests;

/// The pin rules, against real .deb files built here and served by a stand-in archive.
public sealed class HeaderFetcherTests : IDisposable
{
    private static readonly Dictionary<string, string> Headers = new()
    {
        ["xen/xen.h"] = "#define __XEN_LATEST_INTERFACE_VERSION__ 0x00040e00\n",
        ["xen/io/ring.h"] = "#define DEFINE_RING_TYPES(n, req, rsp)\n",
    };

    private readonly TempDir _dir = new();
    private readonly string _work;
    private readonly HeaderCache _cache;
    private readonly string _pinnedDeb;
    private readonly string _treeSha;

    public HeaderFetcherTests()
    {
        _work = Directory.CreateDirectory(_dir.Combine("work")).FullName;
        _cache = new HeaderCache(_dir.Combine("cache"));
        _pinnedDeb = DebBuilder.Build(_work, "libxen-dev", "1.0-1", Headers);
        Shell.Bash("mkdir -p ref/include && cd ref && dpkg-deb -x " + _pinnedDeb + " x && mv x/usr/include/xen include/", _work);
        _treeSha = Shell.Bash("cd ref/include && find xen -type f | LC_ALL=C sort | xargs sha256sum | sha256sum", _work)[..64];
    }

    public void Dispose() => _dir.Dispose();

    private ReleasePin Pin(string? debSha = null, string? treeSha = null) =>
        new("4.17.5", "bookworm-security", "libxen-dev", "1.0-1",
            debSha ?? HeaderTreeHash.FileSha256(_pinnedDeb), treeSha ?? _treeSha, "0x00040e00");

    private void AssertCacheUntouched()
    {
        Assert.False(_cache.TryGetIncludeDir("4.17.5", out _));
        Assert.False(Directory.Exists(_cache.ReleaseDir("4.17.5")));
        Assert.Empty(Directory.Exists(_cache.Root) ? Directory.GetFileSystemEntries(_cache.Root) : []);
    }

    [Fact]
    public void Fetches_the_pinned_version_then_does_nothing()
    {
        var archive = new FakeArchive().Serve("1.0-1", "bookworm-security", _pinnedDeb);
        var fetcher = new HeaderFetcher(_cache, archive);

        var first = fetcher.Fetch(Pin());

        Assert.Equal(FetchOutcome.FetchedPinnedVersion, first.Outcome);
        Assert.Equal(_cache.IncludeDirOf("4.17.5"), first.IncludeDir);
        Assert.Equal(Headers["xen/io/ring.h"], File.ReadAllText(Path.Combine(first.IncludeDir, "xen/io/ring.h")));
        Assert.Equal(_treeSha, HeaderTreeHash.Compute(first.IncludeDir));
        Assert.Equal(new CachedSource("4.17.5", "libxen-dev", "1.0-1", HeaderTreeHash.FileSha256(_pinnedDeb), _treeSha),
            _cache.ReadSource("4.17.5"));
        Assert.Equal(["4.17.5"], Directory.GetFileSystemEntries(_cache.Root).Select(Path.GetFileName));

        var second = fetcher.Fetch(Pin());

        Assert.Equal(FetchOutcome.AlreadyCached, second.Outcome);
        Assert.Equal("1.0-1", second.PackageVersion);
        Assert.Equal(1, archive.Lookups);
        Assert.Equal(["1.0-1"], archive.Downloads);
    }

    [Fact]
    public void A_deb_checksum_mismatch_writes_nothing()
    {
        var archive = new FakeArchive().Serve("1.0-1", "bookworm-security", _pinnedDeb);

        var e = Assert.Throws<XenGenException>(() => new HeaderFetcher(_cache, archive).Fetch(Pin(debSha: new string('0', 64))));

        Assert.Contains($"has sha256 {HeaderTreeHash.FileSha256(_pinnedDeb)} but releases.json pins {new string('0', 64)}", e.Message);
        AssertCacheUntouched();
    }

    [Fact]
    public void Takes_the_version_the_suite_serves_now_when_its_tree_is_the_pinned_one()
    {
        var rebuilt = DebBuilder.Build(_work, "libxen-dev", "1.0-2", Headers);
        var archive = new FakeArchive()
            .Serve("1.0-2", "bookworm-security", rebuilt)
            .Serve("0.9-1", "bookworm", DebBuilder.Build(_work, "libxen-dev", "0.9-1", Headers));

        var result = new HeaderFetcher(_cache, archive).Fetch(Pin());

        Assert.Equal(FetchOutcome.FetchedOtherVersion, result.Outcome);
        Assert.Equal("1.0-2", result.PackageVersion);
        Assert.Equal(["1.0-2"], archive.Downloads);
        Assert.Equal(HeaderTreeHash.FileSha256(rebuilt), _cache.ReadSource("4.17.5")!.DebSha256);
        Assert.Equal(_treeSha, HeaderTreeHash.Compute(_cache.IncludeDirOf("4.17.5")));
    }

    [Fact]
    public void Refuses_a_served_version_whose_tree_differs()
    {
        var changed = new Dictionary<string, string>(Headers) { ["xen/xen.h"] = "#define __XEN_LATEST_INTERFACE_VERSION__ 0x00041300\n" };
        var archive = new FakeArchive().Serve("2.0-1", "bookworm-security", DebBuilder.Build(_work, "libxen-dev", "2.0-1", changed));

        var e = Assert.Throws<XenGenException>(() => new HeaderFetcher(_cache, archive).Fetch(Pin()));

        Assert.Contains("no longer serves libxen-dev 1.0-1", e.Message);
        Assert.Contains("2.0-1 from bookworm-security has a different header tree", e.Message);
        Assert.Contains("new release to import", e.Message);
        AssertCacheUntouched();
    }

    [Fact]
    public void Fails_when_the_suite_serves_nothing()
    {
        var archive = new FakeArchive().Serve("0.9-1", "bookworm", _pinnedDeb);

        var e = Assert.Throws<XenGenException>(() => new HeaderFetcher(_cache, archive).Fetch(Pin()));

        Assert.Contains("serves neither libxen-dev 1.0-1 nor any libxen-dev in bookworm-security", e.Message);
        Assert.Empty(archive.Downloads);
        AssertCacheUntouched();
    }

    [Fact]
    public void A_failed_extraction_writes_nothing()
    {
        var garbage = Path.Combine(_work, "broken.deb");
        File.WriteAllText(garbage, "not an ar archive");
        var archive = new FakeArchive().Serve("1.0-1", "bookworm-security", garbage);

        var e = Assert.Throws<XenGenException>(() =>
            new HeaderFetcher(_cache, archive).Fetch(Pin(debSha: HeaderTreeHash.FileSha256(garbage))));

        Assert.StartsWith("release 4.17.5: extracting broken.deb failed", e.Message);
        AssertCacheUntouched();
    }

    [Fact]
    public void Replaces_a_cached_tree_that_no_longer_matches_the_pin()
    {
        var archive = new FakeArchive().Serve("1.0-1", "bookworm-security", _pinnedDeb);
        var fetcher = new HeaderFetcher(_cache, archive);
        var include = fetcher.Fetch(Pin()).IncludeDir;
        File.WriteAllText(Path.Combine(include, "xen/xen.h"), "edited by hand\n");
        File.WriteAllText(Path.Combine(include, "xen/extra.h"), "added by hand\n");

        var again = fetcher.Fetch(Pin());

        Assert.Equal(FetchOutcome.FetchedPinnedVersion, again.Outcome);
        Assert.Equal(_treeSha, HeaderTreeHash.Compute(again.IncludeDir));
        Assert.False(File.Exists(Path.Combine(again.IncludeDir, "xen/extra.h")));
        Assert.Equal(["4.17.5"], Directory.GetFileSystemEntries(_cache.Root).Select(Path.GetFileName));
    }
}
