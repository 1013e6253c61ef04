using Xen.Abi.Model;
using XenGen.HeaderImporter;
using XenGen.Tool.Tests.Support;

namespace XenGen.Tool.Tests;

/// `xengen diff` as a user runs it: exit status, output file, bad input.
public sealed class DiffCommandTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    /// Writes the four arches of a model set (the same hand-made model) into a directory and returns it.
    private string Models(string name, Action<AbiModel>? mutate = null)
    {
        foreach (var arch in TargetArch.All)
        {
            var m = AbiDiffTests.Model(name);
            m.Arch = arch.Name;
            mutate?.Invoke(m);
            ModelFile.WriteAtomic(_dir.Combine(name, arch.Name + ".abi.json"), m);
        }
        return _dir.Combine(name);
    }

    [Fact]
    public void A_committed_release_diffed_with_itself_passes_fail_on_breaking()
    {
        var r = Xengen.Run("diff", "4.17.5", "4.17.5", "--fail-on", "breaking");

        Assert.Equal(0, r.ExitCode);
        Assert.Contains("| x86_64 | 0 | 0 | 0 | 0 |", r.Out);
        Assert.Contains("| arm32 | 0 | 0 | 0 | 0 |", r.Out);
    }

    [Fact]
    public void A_mutated_field_offset_fails_with_fail_on_breaking()
    {
        var a = Models("a");
        var b = Models("b", m => m.Records[0].Fields[1].OffsetBits = 64);

        var plain = Xengen.Run("diff", a, b, "--arch", "arm64");
        var failing = Xengen.Run("diff", a, b, "--arch", "arm64", "--fail-on", "breaking");

        Assert.Equal(0, plain.ExitCode);
        Assert.Equal(1, failing.ExitCode);
        Assert.Contains("| **breaking** | changed | field | `demo_request.op` | offset | `4` | `8` |", failing.Out);
        Assert.Contains("breaking changes", failing.Err);
    }

    [Fact]
    public void Guest_breaking_ignores_tools_only_changes()
    {
        var a = Models("a");
        var b = Models("b", m => m.Constants.Single(c => c.Name == "XEN_DOMCTL_INTERFACE_VERSION").Value = "22");

        Assert.Equal(0, Xengen.Run("diff", a, b, "--fail-on", "guest-breaking").ExitCode);
        Assert.Equal(1, Xengen.Run("diff", a, b, "--fail-on", "breaking").ExitCode);
    }

    [Fact]
    public void Compatible_changes_pass_fail_on_breaking()
    {
        var a = Models("a");
        var b = Models("b", m => m.Constants.Add(new ConstantDecl { Name = "DEMO_NEW", Header = "io/demo.h", CType = "int", Size = 4, Value = "1" }));

        var r = Xengen.Run("diff", a, b, "--fail-on", "breaking", "--format", "json");

        Assert.Equal(0, r.ExitCode);
        Assert.Contains("\"name\": \"DEMO_NEW\"", r.Out);
        Assert.Contains("\"class\": \"compatible\"", r.Out);
    }

    [Fact]
    public void Output_goes_to_the_file_and_leaves_no_temporary_file()
    {
        var a = Models("a");
        var b = Models("b", m => m.Records[0].Size = 12);
        var file = _dir.Combine("out", "report.md");
        Directory.CreateDirectory(_dir.Combine("out"));
        File.WriteAllText(file, "old");

        var r = Xengen.Run("diff", a, b, "--output", file);

        Assert.Equal(0, r.ExitCode);
        Assert.StartsWith("# ABI diff: Xen a → b", File.ReadAllText(file));
        Assert.Equal([file], Directory.GetFiles(_dir.Combine("out")));
    }

    [Fact]
    public void An_unknown_release_is_named_with_the_releases_that_have_models()
    {
        var r = Xengen.Run("diff", "4.17.5", "4.99.0");

        Assert.Equal(2, r.ExitCode);
        Assert.Contains("release \"4.99.0\": no committed models", r.Err);
        Assert.Contains("4.17.5, 4.17.7, 4.20.4", r.Err);
        Assert.Equal("", r.Out);
        Xengen.AssertNoStackTrace(r);
    }

    [Fact]
    public void A_missing_model_file_is_named()
    {
        var a = Models("a");
        var b = Models("b");
        File.Delete(Path.Combine(b, "arm32.abi.json"));

        var r = Xengen.Run("diff", a, b);

        Assert.Equal(2, r.ExitCode);
        Assert.Contains(Path.Combine(b, "arm32.abi.json") + ": no arm32 model for \"" + b + "\"", r.Err);
        Xengen.AssertNoStackTrace(r);
    }

    [Fact]
    public void A_broken_model_file_and_a_missing_directory_are_named()
    {
        var a = Models("a");
        var b = Models("b");
        File.WriteAllText(Path.Combine(b, "x86_64.abi.json"), "{ not json");

        var broken = Xengen.Run("diff", a, b, "--arch", "x86_64");
        var missing = Xengen.Run("diff", a, _dir.Combine("nowhere"));

        Assert.Equal(2, broken.ExitCode);
        Assert.Contains(Path.Combine(b, "x86_64.abi.json"), broken.Err);
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains(_dir.Combine("nowhere") + ": no such directory of models", missing.Err);
        Xengen.AssertNoStackTrace(broken);
    }
}
