using XenGen.Tool.Headers;
using XenGen.Tool.Tests.Support;

namespace XenGen.Tool.Tests;

/// `xengen import --headers DIR`: an unpinned import of a fetched tree, in both of its shapes.
public sealed class ImportHeadersCommandTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static string Committed(string release, string arch) =>
        File.ReadAllText(Path.Combine(Repo.Root, "xen-public-headers", release, arch + ".abi.json"));

    [Fact]
    public void An_include_directory_and_the_public_folder_itself_give_the_committed_model()
    {
        var include = HeaderCache.Default.IncludeDirOf("4.17.5");

        var fromInclude = Xengen.Run("import", "--headers", include, "--name", "4.17.5", "--arch", "x86_32", "--output", _dir.Combine("a"));
        var fromPublic = Xengen.Run("import", "--headers", Path.Combine(include, "xen"), "--name", "4.17.5", "--arch", "x86_32", "--output", _dir.Combine("b"));

        Assert.True(fromInclude.ExitCode == 0, fromInclude.Err);
        Assert.True(fromPublic.ExitCode == 0, fromPublic.Err);
        Assert.Contains("an include directory (holds xen/xen.h)", fromInclude.Out);
        Assert.Contains("the public folder itself (holds xen.h)", fromPublic.Out);
        Assert.Equal(Committed("4.17.5", "x86_32"), File.ReadAllText(_dir.Combine("a", "x86_32.abi.json")));
        Assert.Equal(Committed("4.17.5", "x86_32"), File.ReadAllText(_dir.Combine("b", "x86_32.abi.json")));
    }

    [Fact]
    public void The_default_output_is_under_the_cache_and_named_after_name()
    {
        var include = HeaderCache.Default.IncludeDirOf("4.20.4");

        var r = Xengen.Run("import", "--headers", include, "--name", "try-1", "--arch", "arm32", "--cache", _dir.Combine("cache"));

        Assert.True(r.ExitCode == 0, r.Err);
        var model = Xen.Abi.Model.ModelJson.Read(File.ReadAllText(_dir.Combine("cache", "imports", "try-1", "arm32.abi.json")), "arm32");
        Assert.Equal("try-1", model.Release);
        Assert.Equal("0x00041300", model.InterfaceVersion);
    }

    [Fact]
    public void A_directory_that_is_no_header_tree_is_named()
    {
        _dir.Write("empty/readme", "x");

        var r = Xengen.Run("import", "--headers", _dir.Combine("empty"), "--output", _dir.Combine("out"));

        Assert.Equal(1, r.ExitCode);
        Assert.Contains(_dir.Combine("empty") + ": not a Xen public header tree", r.Err);
        Xengen.AssertNoStackTrace(r);
    }

    [Fact]
    public void Committed_models_are_not_overwritten_unless_asked_and_release_excludes_headers()
    {
        var include = HeaderCache.Default.IncludeDirOf("4.17.5");
        var before = Committed("4.17.5", "x86_64");

        var refused = Xengen.Run("import", "--headers", include, "--output", Path.Combine(Repo.Root, "xen-public-headers", "4.17.5"));
        var both = Xengen.Run("import", "--headers", include, "--release", "4.17.5");

        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("inside the committed models", refused.Err);
        Assert.Contains("--overwrite-committed", refused.Err);
        Assert.Equal(1, both.ExitCode);
        Assert.Contains("--headers and --release", both.Err);
        Assert.Equal(before, Committed("4.17.5", "x86_64"));
    }
}
