using System.Diagnostics;
using Xen.Abi.Model;
using Xen.Abi.Model.Json;
using XenGen.HeaderImporter.Tests.Support;

namespace XenGen.HeaderImporter.Tests.BadInput;

/// <summary>Bad input gets a clear error naming it, a non-zero exit, and nothing half-written.</summary>
public sealed class ImportErrorTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("xengen-bad-").FullName;

    [Fact]
    public void A_directory_that_is_not_a_header_tree_is_refused_by_name()
    {
        var e = Assert.Throws<DirectoryNotFoundException>(() => new HeaderTree(_dir));
        Assert.Contains(_dir, e.Message);
        Assert.Contains("xen/xen.h", e.Message);
    }

    [Theory]
    [InlineData("{ \"schemaVersion\": 1, ", "malformed JSON")]
    [InlineData("{ \"schemaVersion\": 99 }", "schemaVersion 99 is not supported")]
    [InlineData("{ \"schemaVersion\": 1, \"release\": 4 }", "$.release: expected a string")]
    public void A_malformed_model_file_is_refused_naming_the_file_and_the_place(string text, string problem)
    {
        var e = Assert.Throws<JsonFormatException>(() => ModelJson.Read(text, "broken.abi.json"));
        Assert.StartsWith("broken.abi.json", e.Message);
        Assert.Contains(problem, e.Message);
    }

    [Fact]
    public void An_unknown_architecture_exits_non_zero_with_the_known_ones()
    {
        var (code, _, stderr) = Xengen("import", "--release", "4.17.5", "--arch", "mips");
        Assert.Equal(1, code);
        Assert.Contains("unknown architecture 'mips'", stderr);
        Assert.Contains("x86_64, x86_32, arm64, arm32", stderr);
    }

    [Fact]
    public void A_release_that_was_not_fetched_exits_non_zero_saying_how_to_fetch_it()
    {
        var (code, _, stderr) = Xengen("--cache", _dir, "import", "--release", "4.20.4");
        Assert.Equal(1, code);
        Assert.Contains("xengen headers fetch 4.20.4", stderr);
    }

    /// <summary>
    /// A header tree whose xen.h no longer compiles: the import reports clang's error as file:line, exits 1, and
    /// writes no model (the repository copy here starts without one).
    /// </summary>
    [Fact]
    public void A_header_that_does_not_compile_is_reported_as_file_and_line_and_nothing_is_written()
    {
        string repo = Path.Combine(_dir, "repo");
        Directory.CreateDirectory(Path.Combine(repo, "xen-public-headers"));
        File.Copy(Releases.Catalog.SourcePath, Path.Combine(repo, "xen-public-headers", "releases.json"));
        string cache = Path.Combine(_dir, "cache");
        string release = Path.Combine(cache, "4.17.5");
        CopyTree(Path.GetDirectoryName(Releases.IncludeDir("4.17.5"))!, release);
        string xenH = Path.Combine(release, "include", "xen", "xen.h");
        var lines = File.ReadAllLines(xenH).ToList();
        int line = lines.FindIndex(l => l.StartsWith("typedef uint16_t domid_t;", StringComparison.Ordinal)) + 1;
        Assert.True(line > 0, "xen.h no longer declares domid_t where this test breaks it");
        lines[line - 1] = "typedef uint16_t domid_t";
        File.WriteAllLines(xenH, lines);

        var (code, stdout, stderr) = Xengen("--repo", repo, "--cache", cache, "import", "--release", "4.17.5", "--arch", "x86_64");

        Assert.Equal(1, code);
        Assert.Contains($"{xenH}:1:", stderr); // the import's own error: the core header did not parse
        Assert.Contains($"xen.h:{line}: expected ';'", stderr); // clang's own error, where the ';' is missing
        Assert.Contains("not written", stdout);
        Assert.False(File.Exists(Path.Combine(repo, "xen-public-headers", "4.17.5", "x86_64.abi.json")));
    }

    private static void CopyTree(string from, string to)
    {
        foreach (var dir in Directory.EnumerateDirectories(from, "*", SearchOption.AllDirectories))
        {
            Directory.CreateDirectory(Path.Combine(to, Path.GetRelativePath(from, dir)));
        }
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            File.Copy(file, Path.Combine(to, Path.GetRelativePath(from, file)));
        }
    }

    private static (int Code, string Stdout, string Stderr) Xengen(params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Releases.RepositoryDir };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "xengen.dll"));
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync();
        string stdout = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, stdout, stderr.Result);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
