using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using Xen.Abi.Model;
using XenGen.HeaderImporter.Tests.Support;

namespace XenGen.HeaderImporter.Tests.Focused;

/// <summary>
/// No constant the C compiler can evaluate is missing from a model. A macro was lost when the unit of its own
/// header could not evaluate it: its expansion needs a header its header does not include (the <c>IOCTL_*</c>
/// numbers of <c>sys/*.h</c> need <c>&lt;linux/ioctl.h&gt;</c>, <c>XEN_ACPI_CPU_MAP_LEN</c> needs
/// <c>HVM_MAX_VCPUS</c>), or the header did not compile because it includes Xen's own-build spelling
/// <c>"public/xen.h"</c> (<c>arch-arm/smccc.h</c>).
/// </summary>
public sealed partial class EvaluableConstantTests
{
    [GeneratedRegex(@"^[ \t]*#[ \t]*define[ \t]+([A-Za-z_][A-Za-z0-9_]*)(?![A-Za-z0-9_(])", RegexOptions.Multiline)]
    private static partial Regex ObjectLikeDefine();

    [GeneratedRegex(@"probe\.c:(\d+):\d+: error")]
    private static partial Regex ErrorLine();

    public static TheoryData<string> AllReleases()
    {
        var data = new TheoryData<string>();
        foreach (var pin in Releases.Catalog.Releases) data.Add(pin.Release);
        return data;
    }

    /// <summary>
    /// Every object-like macro of an imported x86_64 header that clang accepts as an integer constant expression
    /// with all imported headers included (as <c>xengen verify</c> compiles them, with the system's C library and
    /// Linux headers) is a constant of the model.
    /// </summary>
    [Theory]
    [MemberData(nameof(AllReleases))]
    public void Every_integer_constant_clang_evaluates_is_in_the_x86_64_model(string release)
    {
        var model = Releases.Import(release, "x86_64").Model;
        var tree = Releases.Tree(release);
        var inModel = new HashSet<string>(model.Constants.Select(c => c.Name), StringComparer.Ordinal);
        var imported = model.Headers.Where(h => h.Skipped is null).Select(h => h.Path).ToList();
        var names = imported
            .SelectMany(h => ObjectLikeDefine().Matches(HeaderSource.WithoutComments(tree, h)).Select(m => m.Groups[1].Value))
            .Where(n => !inModel.Contains(n))
            .Distinct().Order(StringComparer.Ordinal).ToList();

        var source = new StringBuilder("#include <stddef.h>\n#include <stdint.h>\n#include <xen/xen.h>\n");
        foreach (var h in model.Headers.Where(h => h.Skipped is null && h.IncludedBy is null && h.Path != "xen.h"))
            source.Append("#include <xen/").Append(h.Path).Append(">\n");
        var lineOf = new Dictionary<int, string>();
        foreach (var n in names)
        {
            // Line L fails when the macro is not an integer constant expression, line L + 2 when it is not defined.
            source.Append("#ifdef ").Append(n).Append('\n');
            lineOf[source.ToString().Count(c => c == '\n') + 1] = n;
            source.Append("_Static_assert((").Append(n).Append(") || 1, \"\");\n#else\n_Static_assert(0, \"undefined\");\n#endif\n");
        }
        var errors = CompileErrors(model, source.ToString());

        var evaluable = lineOf.Where(kv => !errors.Contains(kv.Key) && !errors.Contains(kv.Key + 2)).Select(kv => kv.Value).ToList();
        Assert.True(evaluable.Count < lineOf.Count, "every probe passed: the check cannot fail");
        Assert.True(evaluable.Count == 0, $"{release}/x86_64: clang evaluates these macros, the model lacks them: {string.Join(", ", evaluable)}");
        Assert.Contains("XEN_ACPI_CPU_MAP_LEN", inModel);
        Assert.Equal("16", model.Constants.Single(c => c.Name == "XEN_ACPI_CPU_MAP_LEN").Value);
        Assert.Equal("arch-x86/guest-acpi.h", model.Constants.Single(c => c.Name == "XEN_ACPI_CPU_MAP_LEN").Header);
        Assert.Contains(model.Constants, c => c.Name == "IOCTL_EVTCHN_BIND_VIRQ" && c.Header == "sys/evtchn.h");
    }

    [Theory]
    [MemberData(nameof(Releases.All), MemberType = typeof(Releases))]
    public void Arm_smccc_h_is_imported_with_its_revisions(string release, string arch)
    {
        var model = Releases.Import(release, arch).Model;
        var smccc = model.Headers.Single(h => h.Path == "arch-arm/smccc.h");
        if (!arch.StartsWith("arm", StringComparison.Ordinal))
        {
            Assert.Equal("arm-specific header", smccc.Skipped);
            return;
        }
        Assert.Null(smccc.Skipped);
        var values = model.Constants.Where(c => c.Header == "arch-arm/smccc.h").ToDictionary(c => c.Name, c => c.Value);
        Assert.Equal("0", values["XEN_SMCCC_MAJOR_REVISION"]);
        Assert.Equal("1", values["XEN_SMCCC_MINOR_REVISION"]);
        Assert.Equal("0", values["SSSC_SMCCC_MAJOR_REVISION"]);
        Assert.Equal("1", values["SSSC_SMCCC_MINOR_REVISION"]);
    }

    /// <summary>The line numbers clang reports errors on, compiling for x86_64 with the host's headers.</summary>
    private static HashSet<int> CompileErrors(AbiModel model, string source)
    {
        string dir = Directory.CreateTempSubdirectory("xengen-evaluable-").FullName;
        using var alias = PublicAlias.Create(Path.Combine(Releases.IncludeDir(model.Release), "xen"));
        try
        {
            string c = Path.Combine(dir, "probe.c");
            File.WriteAllText(c, source);
            var psi = new ProcessStartInfo("clang") { RedirectStandardError = true, RedirectStandardOutput = true };
            foreach (var a in new[] { "-std=gnu11", "-fsyntax-only", "-ferror-limit=0", "-w", "-target", model.Triple }) psi.ArgumentList.Add(a);
            foreach (var d in model.Defines) psi.ArgumentList.Add("-D" + d);
            foreach (var a in new[] { "-I", Releases.IncludeDir(model.Release), "-I", alias.Directory, c }) psi.ArgumentList.Add(a);
            using var p = Process.Start(psi)!;
            var stdout = p.StandardOutput.ReadToEndAsync();
            string stderr = p.StandardError.ReadToEnd();
            p.WaitForExit();
            _ = stdout.Result;
            var lines = ErrorLine().Matches(stderr).Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToHashSet();
            Assert.True(stderr.Split('\n').Where(l => l.Contains("error:")).All(l => l.Contains("probe.c:")),
                "errors in the headers themselves:\n" + string.Join('\n', stderr.Split('\n').Where(l => l.Contains("error:") && !l.Contains("probe.c:")).Take(10)));
            return lines;
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
