using XenGen.Tool.Releases;
using XenGen.Tool.Tests.Support;

namespace XenGen.Tool.Tests;

public sealed class ReleaseCatalogTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private const string ValidPin = """
        {
          "release": "4.17.5",
          "suite": "bookworm",
          "package": "libxen-dev",
          "packageVersion": "4.17.5+72-g01140da4e8-1",
          "debSha256": "40a0e3e5a928a220eeba3c4d4fa574045b9d1ababd022a5b5166ecc57673fdee",
          "headerTreeSha256": "657f97f728fa4a8e3f943129bb064764fcb3f20d65dd7b92cf8fd4f2c90e1ce5",
          "interfaceVersion": "0x00040e00"
        }
        """;

    private static string Catalog(string pins, string defaultRelease = "4.17.5") =>
        $$"""{ "defaultRelease": "{{defaultRelease}}", "releases": [ {{pins}} ] }""";

    [Fact]
    public void Loads_the_repository_catalog()
    {
        var catalog = ReleaseCatalog.LoadFromRepository(Repo.Root);

        Assert.Equal(Repo.CatalogPath, catalog.SourcePath);
        Assert.Equal(["4.17.5", "4.17.7", "4.20.4"], catalog.Releases.Select(p => p.Release));
        Assert.Equal(catalog.DefaultRelease, catalog.Default.Release);
        var security = catalog.Find("4.17.7");
        Assert.Equal("bookworm-security", security.Suite);
        Assert.Equal("bookworm", security.Codename);
        Assert.Equal("0c248b179f1d58277bdf2d67660b75219172bc812aa89cfe4b70a6e12f913a4c", security.DebSha256);
    }

    [Fact]
    public void Unknown_release_lists_the_known_ones()
    {
        var catalog = ReleaseCatalog.LoadFromRepository(Repo.Root);

        var e = Assert.Throws<XenGenException>(() => catalog.Find("4.99.0"));

        Assert.Contains("unknown release \"4.99.0\"", e.Message);
        Assert.Contains("4.17.5, 4.17.7, 4.20.4", e.Message);
        Assert.False(catalog.TryFind("4.99.0", out _));
    }

    [Theory]
    [InlineData("{ not json", "not valid JSON")]
    [InlineData("[]", "top level must be an object")]
    [InlineData("""{ "defaultRelease": "4.17.5" }""", "\"releases\" must be an array")]
    [InlineData("""{ "defaultRelease": "4.17.5", "releases": [] }""", "\"releases\" is empty")]
    public void Rejects_malformed_files(string json, string problem)
    {
        var e = Assert.Throws<XenGenException>(() => ReleaseCatalog.Parse(json, "cat.json"));

        Assert.StartsWith("cat.json: invalid release catalog:", e.Message);
        Assert.Contains(problem, e.Message);
    }

    [Theory]
    [InlineData("\"debSha256\": \"40a0", "\"debSha256\": \"XYZ0", "debSha256 must be 64 lowercase hex digits")]
    [InlineData("\"headerTreeSha256\": \"657f97f728fa4a8e3f943129bb064764fcb3f20d65dd7b92cf8fd4f2c90e1ce5\"", "\"headerTreeSha256\": \"657f\"", "headerTreeSha256 must be 64")]
    [InlineData("\"suite\": \"bookworm\"", "\"suite\": \"bookworm-backports\"", "suite \"bookworm-backports\"")]
    [InlineData("\"interfaceVersion\": \"0x00040e00\"", "\"interfaceVersion\": \"4.14\"", "interfaceVersion must be 0x")]
    [InlineData("\"release\": \"4.17.5\"", "\"release\": \"../evil\"", "release name must be")]
    [InlineData("\"package\": \"libxen-dev\",", "", "missing \"package\"")]
    [InlineData("\"package\": \"libxen-dev\"", "\"package\": 7", "\"package\" must be a non-empty string")]
    [InlineData("\"suite\":", "\"suit\":", "unknown property \"suit\"")]
    public void Rejects_a_bad_pin_naming_the_field(string from, string to, string problem)
    {
        var json = Catalog(ValidPin.Replace(from, to));
        Assert.NotEqual(Catalog(ValidPin), json);

        var e = Assert.Throws<XenGenException>(() => ReleaseCatalog.Parse(json, "cat.json"));

        Assert.StartsWith("cat.json: invalid release catalog: releases[0]", e.Message);
        Assert.Contains(problem, e.Message);
    }

    [Fact]
    public void Rejects_a_release_pinned_twice_and_a_default_that_is_not_pinned()
    {
        var twice = Assert.Throws<XenGenException>(() => ReleaseCatalog.Parse(Catalog(ValidPin + "," + ValidPin), "c.json"));
        var noDefault = Assert.Throws<XenGenException>(() => ReleaseCatalog.Parse(Catalog(ValidPin, "4.18.0"), "c.json"));

        Assert.Contains("\"4.17.5\" is pinned twice", twice.Message);
        Assert.Contains("defaultRelease \"4.18.0\" is not one of the releases (4.17.5)", noDefault.Message);
    }

    [Fact]
    public void Load_names_a_missing_file()
    {
        var path = _dir.Combine("nope.json");

        var e = Assert.Throws<XenGenException>(() => ReleaseCatalog.Load(path));

        Assert.StartsWith(path + ": cannot read", e.Message);
    }

    [Fact]
    public void Repository_root_is_found_walking_up_or_given_explicitly()
    {
        _dir.Write(ReleaseCatalog.RelativePath, Catalog(ValidPin));
        var nested = Directory.CreateDirectory(_dir.Combine("a", "b", "c")).FullName;

        Assert.Equal(_dir.Path, RepositoryRoot.Locate(null, nested));
        Assert.Equal(_dir.Path, RepositoryRoot.Locate(_dir.Path, "/"));
        var wrongRepo = Assert.Throws<XenGenException>(() => RepositoryRoot.Locate(nested, _dir.Path));
        Assert.Contains("--repo " + nested, wrongRepo.Message);
        var none = Assert.Throws<XenGenException>(() => RepositoryRoot.Locate(null, "/proc"));
        Assert.Contains("pass --repo DIR", none.Message);
    }

    private const string TreePin = """
        {
          "release": "4.21.0",
          "origin": "xen-4.21.0.tar.xz",
          "originSha256": "1111111111111111111111111111111111111111111111111111111111111111",
          "headerTreeSha256": "2222222222222222222222222222222222222222222222222222222222222222",
          "interfaceVersion": "0x00041500"
        }
        """;

    [Fact]
    public void A_tree_pin_has_an_origin_and_no_debian_fields_and_round_trips()
    {
        var catalog = ReleaseCatalog.Parse(Catalog(ValidPin + "," + TreePin), "c.json");

        var pin = catalog.Find("4.21.0");
        Assert.True(pin.IsTreePin);
        Assert.False(catalog.Find("4.17.5").IsTreePin);
        Assert.Equal(ReleasePin.ForTree("4.21.0", new string('2', 64), "0x00041500", "xen-4.21.0.tar.xz", new string('1', 64)), pin);
        Assert.Equal(catalog.ToJson(), ReleaseCatalog.Parse(catalog.ToJson(), "c.json").ToJson());
        Assert.DoesNotContain("\"suite\"", catalog.ToJson().Split("4.21.0")[1]);
    }

    [Theory]
    [InlineData("\"origin\": \"xen-4.21.0.tar.xz\",", "\"origin\": \"xen-4.21.0.tar.xz\", \"suite\": \"trixie\",", "unknown property \"suite\"")]
    [InlineData("\"originSha256\": \"1111111111111111111111111111111111111111111111111111111111111111\"", "\"originSha256\": \"11\"", "originSha256 must be 64 lowercase hex digits")]
    [InlineData("\"interfaceVersion\": \"0x00041500\"", "\"interfaceVersion\": \"4.21\"", "interfaceVersion must be 0x")]
    public void Rejects_a_bad_tree_pin_naming_the_field(string from, string to, string problem)
    {
        var e = Assert.Throws<XenGenException>(() => ReleaseCatalog.Parse(Catalog(ValidPin + "," + TreePin.Replace(from, to)), "c.json"));
        Assert.Contains(problem, e.Message);
        Assert.Contains("releases[1]", e.Message);
    }
}
