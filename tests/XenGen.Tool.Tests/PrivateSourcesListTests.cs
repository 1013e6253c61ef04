using XenGen.Tool.Headers;
using XenGen.Tool.Tests.Support;

namespace XenGen.Tool.Tests;

public sealed class PrivateSourcesListTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private const string Deb822 = """
        Types: deb
        # a comment inside a stanza
        URIs: http://mirror.example/debian
        Suites: bookworm bookworm-updates bookworm-backports
        Components: main contrib
        Signed-By: /usr/share/keyrings/example-archive-keyring.gpg

        Types: deb deb-src
        URIs: http://mirror.example/debian-security
        Suites: bookworm-security
        Components: main
        Signed-By:
         -----BEGIN PGP PUBLIC KEY BLOCK-----
         .
         mDMEZX
         -----END PGP PUBLIC KEY BLOCK-----

        Types: deb-src
        URIs: http://mirror.example/debian
        Suites: bookworm
        Components: main

        Enabled: no
        Types: deb
        URIs: http://disabled.example/debian
        Suites: bookworm
        Components: main

        Types: deb
        URIs: http://other.example/apt
        Suites: stable
        Components: main
        """;

    private const string OneLine = """
        # one-line form
        deb [arch=amd64 signed-by=/usr/share/keyrings/one.gpg] http://mirror.example/debian bookworm main non-free-firmware # trailing
        deb http://mirror.example/debian-security bookworm-security main
        deb-src http://mirror.example/debian bookworm main
        # deb http://commented.example/debian bookworm main
        deb http://mirror.example/debian sid main
        """;

    [Fact]
    public void Parses_deb822_binary_enabled_stanzas()
    {
        var sources = AptSourcesParser.ParseDeb822(Deb822);

        Assert.Equal(["http://mirror.example/debian", "http://mirror.example/debian-security", "http://other.example/apt"],
            sources.Select(s => s.Uri));
        Assert.Equal(["bookworm", "bookworm-updates", "bookworm-backports"], sources[0].Suites);
        Assert.Equal(["main", "contrib"], sources[0].Components);
        Assert.StartsWith("\n -----BEGIN PGP PUBLIC KEY BLOCK-----\n .\n", sources[1].SignedBy);
    }

    [Fact]
    public void Parses_one_line_sources_with_options()
    {
        var sources = AptSourcesParser.ParseOneLine(OneLine);

        Assert.Equal(3, sources.Count);
        Assert.Equal(new[] { "bookworm" }, sources[0].Suites);
        Assert.Equal(["main", "non-free-firmware"], sources[0].Components);
        Assert.Equal("/usr/share/keyrings/one.gpg", sources[0].SignedBy);
        Assert.Null(sources[1].SignedBy);
        Assert.Equal("sid", sources[2].Suites[0]);
    }

    [Fact]
    public void Derives_the_target_codename_from_deb822()
    {
        var derived = PrivateSourcesList.Derive(AptSourcesParser.ParseDeb822(Deb822), "bookworm", "trixie");

        Assert.Equal("""
            Types: deb
            URIs: http://mirror.example/debian
            Suites: trixie trixie-updates
            Components: main contrib
            Signed-By: /usr/share/keyrings/example-archive-keyring.gpg

            Types: deb
            URIs: http://mirror.example/debian-security
            Suites: trixie-security
            Components: main
            Signed-By:
             -----BEGIN PGP PUBLIC KEY BLOCK-----
             .
             mDMEZX
             -----END PGP PUBLIC KEY BLOCK-----

            """, PrivateSourcesList.Render(derived));
    }

    [Fact]
    public void Derives_the_target_codename_from_one_line_sources()
    {
        var derived = PrivateSourcesList.Derive(AptSourcesParser.ParseOneLine(OneLine), "bookworm", "trixie");

        Assert.Equal("""
            Types: deb
            URIs: http://mirror.example/debian
            Suites: trixie
            Components: main non-free-firmware
            Signed-By: /usr/share/keyrings/one.gpg

            Types: deb
            URIs: http://mirror.example/debian-security
            Suites: trixie-security
            Components: main

            """, PrivateSourcesList.Render(derived));
    }

    [Fact]
    public void Merges_one_line_suites_of_the_same_source()
    {
        const string lines = """
            deb http://mirror.example/debian trixie main
            deb http://mirror.example/debian trixie-updates main
            """;

        var derived = PrivateSourcesList.Derive(AptSourcesParser.ParseOneLine(lines), "trixie", "bookworm");

        Assert.Single(derived);
        Assert.Equal(["bookworm", "bookworm-updates"], derived[0].Suites);
    }

    [Fact]
    public void Reads_the_system_files_apt_reads()
    {
        _dir.Write("apt/sources.list", "deb http://mirror.example/debian bookworm main\n");
        _dir.Write("apt/sources.list.d/debian.sources", Deb822);
        _dir.Write("apt/sources.list.d/extra.list", "deb http://extra.example/debian bookworm-updates main\n");
        _dir.Write("apt/sources.list.d/old.sources.disabled", "Types: deb\nURIs: http://ignored.example\nSuites: bookworm\nComponents: main\n");
        _dir.Write("os-release", "NAME=\"Debian GNU/Linux\"\nVERSION_CODENAME=bookworm\nID=debian\n");

        var sources = PrivateSourcesList.ReadSystemSources(_dir.Combine("apt"));

        Assert.Equal(
            ["http://mirror.example/debian", "http://mirror.example/debian", "http://mirror.example/debian-security",
             "http://other.example/apt", "http://extra.example/debian"],
            sources.Select(s => s.Uri));
        Assert.Equal("bookworm", PrivateSourcesList.SystemCodename(_dir.Combine("os-release")));
        var e = Assert.Throws<XenGenException>(() => PrivateSourcesList.SystemCodename(_dir.Combine("missing")));
        Assert.Contains("no VERSION_CODENAME", e.Message);
    }

    [Fact]
    public void Parses_apt_cache_madison_output()
    {
        const string output = """
             libxen-dev | 4.17.7+13-g2445b30a44-0+deb12u1 | http://mirror.example/debian-security bookworm-security/main amd64 Packages
             libxen-dev | 4.17.5+72-g01140da4e8-1 | http://mirror.example/debian bookworm/main amd64 Packages
                   xen | 4.17.5+72-g01140da4e8-1 | http://mirror.example/debian bookworm/main Sources
            """;

        var served = DebianArchive.ParseMadison(output, "libxen-dev");

        Assert.Equal(
            [new ServedVersion("4.17.7+13-g2445b30a44-0+deb12u1", "bookworm-security"), new ServedVersion("4.17.5+72-g01140da4e8-1", "bookworm")],
            served);
    }
}
