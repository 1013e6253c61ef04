using XenGen.Tool.Headers;
using XenGen.Tool.Releases;
using XenGen.Tool.Tests.Support;

namespace XenGen.Tool.Tests;

/// Real fetches through apt from the Debian archive the system's sources name, into temporary caches.
public sealed class DebianArchiveFetchTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    /// Forwards to the real archive, counting calls.
    private sealed class Counting(IPackageArchive inner) : IPackageArchive
    {
        public int Calls { get; private set; }

        public IReadOnlyList<ServedVersion> ServedVersions(string codename, string package)
        {
            Calls++;
            return inner.ServedVersions(codename, package);
        }

        public string Download(string codename, string package, string version, string directory)
        {
            Calls++;
            return inner.Download(codename, package, version, directory);
        }
    }

    [Fact]
    public void Fetches_a_pinned_release_then_a_second_fetch_is_a_no_op()
    {
        var pin = ReleaseCatalog.LoadFromRepository(Repo.Root).Find("4.17.5");
        var cache = new HeaderCache(_dir.Combine("cache"));
        var archive = new Counting(new DebianArchive(Path.Combine(cache.Root, "apt")));
        var fetcher = new HeaderFetcher(cache, archive);

        var first = fetcher.Fetch(pin);

        Assert.NotEqual(FetchOutcome.AlreadyCached, first.Outcome);
        Assert.Equal(cache.IncludeDirOf("4.17.5"), first.IncludeDir);
        Assert.True(File.Exists(Path.Combine(first.IncludeDir, "xen", "io", "ring.h")));
        var reference = Shell.Bash("find xen -type f | LC_ALL=C sort | xargs sha256sum | sha256sum", first.IncludeDir)[..64];
        Assert.Equal(pin.HeaderTreeSha256, reference);
        var source = cache.ReadSource("4.17.5")!;
        Assert.Equal(pin.HeaderTreeSha256, source.HeaderTreeSha256);
        if (first.Outcome == FetchOutcome.FetchedPinnedVersion)
            Assert.Equal(pin.DebSha256, source.DebSha256);
        var sources = File.ReadAllText(Path.Combine(cache.Root, "apt", "bookworm", "xengen.sources"));
        Assert.Contains("Suites: bookworm", sources);
        Assert.DoesNotContain("trixie", sources);
        var calls = archive.Calls;
        var landedAt = Directory.GetLastWriteTimeUtc(cache.ReleaseDir("4.17.5"));

        var second = fetcher.Fetch(pin);

        Assert.Equal(FetchOutcome.AlreadyCached, second.Outcome);
        Assert.Equal(source.PackageVersion, second.PackageVersion);
        Assert.Equal(calls, archive.Calls);
        Assert.Equal(landedAt, Directory.GetLastWriteTimeUtc(cache.ReleaseDir("4.17.5")));
    }

    [Fact]
    public void A_wrong_deb_checksum_in_the_catalog_leaves_the_cache_untouched()
    {
        var text = File.ReadAllText(Repo.CatalogPath);
        var real = ReleaseCatalog.Parse(text, Repo.CatalogPath).Find("4.20.4");
        var wrong = new string('0', 64);
        var catalogPath = _dir.Write("repo/" + ReleaseCatalog.RelativePath, text.Replace(real.DebSha256, wrong));
        var pin = ReleaseCatalog.Load(catalogPath).Find("4.20.4");
        Assert.Equal(wrong, pin.DebSha256);
        var cache = new HeaderCache(_dir.Combine("cache"));

        var e = Assert.Throws<XenGenException>(() =>
            new HeaderFetcher(cache, new DebianArchive(_dir.Combine("apt"))).Fetch(pin));

        Assert.Contains($"has sha256 {real.DebSha256} but releases.json pins {wrong}; nothing written", e.Message);
        Assert.False(cache.TryGetIncludeDir("4.20.4", out _));
        Assert.Empty(Directory.GetFileSystemEntries(cache.Root));
    }
}
