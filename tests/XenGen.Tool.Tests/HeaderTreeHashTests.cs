using XenGen.Tool.Headers;
using XenGen.Tool.Tests.Support;

namespace XenGen.Tool.Tests;

public sealed class HeaderTreeHashTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private const string ReferencePipeline = "find xen -type f | LC_ALL=C sort | xargs sha256sum | sha256sum";

    private string Reference(string includeDir) => Shell.Bash(ReferencePipeline, includeDir).Split(' ')[0];

    private string MakeTree()
    {
        var include = _dir.Combine("include");
        // Names whose ordinal, byte and culture orders disagree, a dot file, an empty file, nesting.
        _dir.Write("include/xen/xen.h", "#define XEN 1\n");
        _dir.Write("include/xen/B.h", "upper\n");
        _dir.Write("include/xen/a.h", "lower\n");
        _dir.Write("include/xen/a-b.h", "dash\n");
        _dir.Write("include/xen/a_b.h", "underscore\n");
        _dir.Write("include/xen/.hidden.h", "dot\n");
        _dir.Write("include/xen/empty.h", "");
        _dir.Write("include/xen/io/ring.h", "#define RING 1\n");
        _dir.Write("include/xen/arch-x86/xen-x86_64.h", "x86\n");
        _dir.Write("include/not-xen.h", "outside the tree\n");
        return include;
    }

    [Fact]
    public void Equals_the_sha256sum_pipeline()
    {
        var include = MakeTree();

        var hash = HeaderTreeHash.Compute(include);

        Assert.Matches("^[0-9a-f]{64}$", hash);
        Assert.Equal(Reference(include), hash);
    }

    [Fact]
    public void Ignores_symbolic_links_like_find_type_f()
    {
        var include = MakeTree();
        var before = HeaderTreeHash.Compute(include);
        File.CreateSymbolicLink(_dir.Combine("include/xen/link.h"), "a.h");
        Directory.CreateSymbolicLink(_dir.Combine("include/xen/linkdir"), "io");

        Assert.Equal(before, HeaderTreeHash.Compute(include));
        Assert.Equal(Reference(include), HeaderTreeHash.Compute(include));
    }

    [Fact]
    public void Changes_with_a_byte_or_a_name_and_still_matches_the_pipeline()
    {
        var include = MakeTree();
        var original = HeaderTreeHash.Compute(include);

        File.AppendAllText(_dir.Combine("include/xen/io/ring.h"), " ");
        var edited = HeaderTreeHash.Compute(include);
        File.Move(_dir.Combine("include/xen/a.h"), _dir.Combine("include/xen/c.h"));
        var renamed = HeaderTreeHash.Compute(include);

        Assert.NotEqual(original, edited);
        Assert.NotEqual(edited, renamed);
        Assert.Equal(Reference(include), renamed);
    }

    [Fact]
    public void Escapes_names_as_sha256sum_does()
    {
        var file = _dir.Write("a\\b", "x");
        var expected = Shell.Run("sha256sum", ["a\\b"], _dir.Path).Out;

        Assert.Equal(expected, HeaderTreeHash.SumLine(HeaderTreeHash.FileSha256(file), "a\\b"));
    }

    [Fact]
    public void Rejects_a_directory_without_xen()
    {
        var e = Assert.Throws<XenGenException>(() => HeaderTreeHash.Compute(_dir.Path));
        Assert.Contains("no xen/", e.Message);
    }
}
