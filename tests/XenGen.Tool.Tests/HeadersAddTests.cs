using System.Text.Json.Nodes;
using XenGen.Tool.Headers;
using XenGen.Tool.Releases;
using XenGen.Tool.Tests.Support;

namespace XenGen.Tool.Tests;

/// `xengen headers add`: pinning from a tree or tarball (no network), from a stand-in archive, and the catalog it writes.
public sealed class HeadersAddTests : IDisposable
{
    private static readonly Dictionary<string, string> Public = new()
    {
        ["xen.h"] = "#include \"xen-compat.h\"\nstruct demo { int x; };\n",
        ["xen-compat.h"] = "#define __XEN_LATEST_INTERFACE_VERSION__ 0x00041500\n",
        ["io/ring.h"] = "#define DEFINE_RING_TYPES(n, req, rsp)\n",
    };

    private readonly TempDir _dir = new();
    private readonly string _catalogPath;
    private readonly HeaderCache _cache;

    public HeadersAddTests()
    {
        _catalogPath = _dir.Combine("repo", ReleaseCatalog.RelativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(_catalogPath)!);
        File.Copy(Repo.CatalogPath, _catalogPath);
        _cache = new HeaderCache(_dir.Combine("cache"));
    }

    public void Dispose() => _dir.Dispose();

    private ReleaseCatalog Catalog => ReleaseCatalog.Load(_catalogPath);

    /// A Xen source checkout holding the public headers at xen/include/public, and the tree's hash as README defines it.
    private (string Checkout, string TreeSha) Checkout(string name = "xen-4.21.0", string? extra = null)
    {
        foreach (var (path, text) in Public)
            _dir.Write($"src/{name}/xen/include/public/{path}", text);
        if (extra is not null) _dir.Write($"src/{name}/xen/include/public/extra.h", extra);
        _dir.Write($"src/{name}/README", "not a header");
        Shell.Bash($"mkdir -p ref-{name}/include && cp -r src/{name}/xen/include/public ref-{name}/include/xen", _dir.Path);
        var sha = Shell.Bash($"cd ref-{name}/include && find xen -type f | LC_ALL=C sort | xargs sha256sum | sha256sum", _dir.Path)[..64];
        return (_dir.Combine("src", name), sha);
    }

    [Fact]
    public void The_committed_catalog_is_written_back_byte_for_byte()
    {
        Assert.Equal(File.ReadAllText(Repo.CatalogPath), ReleaseCatalog.Load(Repo.CatalogPath).ToJson());
    }

    [Fact]
    public void Pins_a_source_checkout_and_caches_its_tree()
    {
        var (checkout, sha) = Checkout();

        var pin = new ReleasePinner(_cache).AddFromTree(Catalog, "4.21.0", checkout);

        Assert.Equal(ReleasePin.ForTree("4.21.0", sha, "0x00041500", "xen-4.21.0", null), pin);
        Assert.Equal(pin, Catalog.Find("4.21.0"));
        Assert.Equal(["4.17.5", "4.17.7", "4.20.4", "4.21.0"], Catalog.Releases.Select(p => p.Release));
        Assert.Equal("4.17.5", Catalog.DefaultRelease);
        Assert.Equal(sha, HeaderTreeHash.Compute(_cache.IncludeDirOf("4.21.0")));
        var fetched = new HeaderFetcher(_cache, new FakeArchive()).Fetch(pin);
        Assert.Equal(FetchOutcome.AlreadyCached, fetched.Outcome);
        Assert.Contains("\"origin\": \"xen-4.21.0\"", File.ReadAllText(_catalogPath));
        Assert.DoesNotContain("\"suite\": \"\"", File.ReadAllText(_catalogPath));
    }

    [Theory]
    [InlineData("czf", ".tar.gz")]
    [InlineData("cJf", ".tar.xz")]
    public void Pins_a_tarball_with_its_sha256_and_the_same_tree_hash_as_the_directory(string tarFlags, string suffix)
    {
        var (_, sha) = Checkout();
        var tarball = _dir.Combine("xen-4.21.0" + suffix);
        Shell.Bash($"tar -{tarFlags} {tarball} -C src xen-4.21.0", _dir.Path);

        var pin = new ReleasePinner(_cache).AddFromTree(Catalog, "4.21.0", tarball, makeDefault: true);

        Assert.Equal(sha, pin.HeaderTreeSha256);
        Assert.Equal("xen-4.21.0" + suffix, pin.Origin);
        Assert.Equal(HeaderTreeHash.FileSha256(tarball), pin.OriginSha256);
        Assert.Equal("4.21.0", Catalog.DefaultRelease);
        Assert.Equal(pin, Catalog.Find("4.21.0"));
    }

    [Fact]
    public void A_tree_pin_is_fetched_only_from_its_tree()
    {
        var (checkout, _) = Checkout();
        var pin = new ReleasePinner(_cache).AddFromTree(Catalog, "4.21.0", checkout);
        Directory.Delete(_cache.ReleaseDir("4.21.0"), recursive: true);
        var (other, _) = Checkout("xen-other", extra: "/* not the same */\n");

        var notCached = Assert.Throws<XenGenException>(() => new HeaderFetcher(_cache, new FakeArchive()).Fetch(pin));
        var wrongTree = Assert.Throws<XenGenException>(() => new ReleasePinner(_cache).FetchFromTree(pin, other));
        var fetched = new ReleasePinner(_cache).FetchFromTree(pin, checkout + "/xen/include/public");

        Assert.Contains("pinned from a header tree (xen-4.21.0)", notCached.Message);
        Assert.Contains("xengen headers fetch 4.21.0 --from DIR|TARBALL", notCached.Message);
        Assert.Contains("hashes to", wrongTree.Message);
        Assert.Equal(FetchOutcome.FetchedFromTree, fetched.Outcome);
        Assert.Equal(pin.HeaderTreeSha256, HeaderTreeHash.Compute(fetched.IncludeDir));
    }

    [Fact]
    public void Duplicates_and_bad_input_are_refused_and_change_nothing()
    {
        var (checkout, _) = Checkout();
        var before = File.ReadAllText(_catalogPath);
        var pinner = new ReleasePinner(_cache);
        _dir.Write("no-tree/readme", "x");
        _dir.Write("no-compat/xen.h", "x");
        var notTarball = _dir.Write("headers.zip", "x");

        string Refused(string release, string from) => Assert.Throws<XenGenException>(() => pinner.AddFromTree(Catalog, release, from)).Message;

        Assert.Contains("release \"4.20.4\" is already pinned", Refused("4.20.4", checkout));
        Assert.Contains("a release name must be", Refused("all", checkout));
        Assert.Contains(_dir.Combine("missing") + ": no such directory or tarball", Refused("x", _dir.Combine("missing")));
        Assert.Contains("no Xen public headers", Refused("x", _dir.Combine("no-tree")));
        Assert.Contains("xen-compat.h: missing", Refused("x", _dir.Combine("no-compat")));
        Assert.Contains("not a directory or a tarball", Refused("x", notTarball));
        Assert.Equal(before, File.ReadAllText(_catalogPath));

        pinner.AddFromTree(Catalog, "4.21.0", checkout);
        Assert.Contains("already pinned as release \"4.21.0\"", Refused("4.21.0-again", checkout));
        Assert.False(Directory.Exists(_cache.ReleaseDir("4.21.0-again")));
        Assert.Equal(["4.21.0"], Directory.GetFileSystemEntries(_cache.Root).Select(Path.GetFileName));
    }

    [Fact]
    public void Pins_the_newest_version_a_suite_serves_from_a_stand_in_archive()
    {
        var headers = Public.ToDictionary(kv => "xen/" + kv.Key, kv => kv.Value);
        var work = Directory.CreateDirectory(_dir.Combine("debs")).FullName;
        var newer = DebBuilder.Build(work, "libxen-dev", "4.21.0-2", headers);
        var older = DebBuilder.Build(work, "libxen-dev", "4.21.0-1", headers);
        var archive = new FakeArchive().Serve("4.21.0-2", "forky", newer).Serve("4.21.0-1", "forky", older);

        var pin = new ReleasePinner(_cache, archive).AddFromDebian(Catalog, "4.21.0", "forky", null);
        var wrongSuite = Assert.Throws<XenGenException>(() =>
            new ReleasePinner(_cache, archive).AddFromDebian(Catalog, "4.21.1", "forky-security", "4.21.0-1"));
        var notServed = Assert.Throws<XenGenException>(() =>
            new ReleasePinner(_cache, archive).AddFromDebian(Catalog, "4.21.1", "forky", "4.21.9-1"));

        Assert.Equal(new ReleasePin("4.21.0", "forky", "libxen-dev", "4.21.0-2", HeaderTreeHash.FileSha256(newer),
            HeaderTreeHash.Compute(_cache.IncludeDirOf("4.21.0")), "0x00041500"), pin);
        Assert.Equal(pin, Catalog.Find("4.21.0"));
        Assert.Contains("is served by forky, not forky-security", wrongSuite.Message);
        Assert.Contains("does not serve libxen-dev 4.21.9-1", notServed.Message);
    }

    [Fact]
    public void Re_pinning_a_committed_release_from_the_debian_archive_gives_the_committed_hashes()
    {
        var committed = ReleaseCatalog.Load(Repo.CatalogPath).Find("4.17.7");
        var json = JsonNode.Parse(File.ReadAllText(_catalogPath))!;
        var releases = json["releases"]!.AsArray();
        releases.Remove(releases.Single(r => (string?)r!["release"] == "4.17.7"));
        File.WriteAllText(_catalogPath, json.ToJsonString());

        var pin = new ReleasePinner(_cache, new DebianArchive(Path.Combine(_cache.Root, "apt")))
            .AddFromDebian(Catalog, "4.17.7", committed.Suite, committed.PackageVersion);

        Assert.Equal(committed, pin);
        Assert.Equal(committed, Catalog.Find("4.17.7"));
    }

    [Fact]
    public void The_command_line_refuses_a_duplicate_naming_the_catalog()
    {
        var (checkout, _) = Checkout();

        var dup = Xengen.Run("headers", "add", "4.17.5", "--from", checkout, "--repo", _dir.Combine("repo"), "--cache", _cache.Root);
        var neither = Xengen.Run("headers", "add", "4.21.0", "--repo", _dir.Combine("repo"), "--cache", _cache.Root);
        var ok = Xengen.Run("headers", "add", "4.21.0", "--from", checkout, "--repo", _dir.Combine("repo"), "--cache", _cache.Root);

        Assert.Equal(1, dup.ExitCode);
        Assert.Contains($"release \"4.17.5\" is already pinned in {_catalogPath}", dup.Err);
        Assert.Equal(1, neither.ExitCode);
        Assert.Contains("give either --suite SUITE", neither.Err);
        Assert.True(ok.ExitCode == 0, ok.Err);
        Assert.Contains("4.21.0 pinned from xen-4.21.0", ok.Out);
        Xengen.AssertNoStackTrace(dup);
    }
}
