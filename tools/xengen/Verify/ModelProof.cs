using System.Runtime.InteropServices;
using Xen.Abi.Model;
using XenGen.HeaderImporter;

namespace XenGen.Tool.Verify;

/// <summary>What the C compiler said about a model.</summary>
/// <param name="Counts">The facts asserted.</param>
/// <param name="Failures">clang's errors and the run-time mismatches; empty when the model is proven.</param>
/// <param name="Unprovable">Records C cannot name (an anonymous record with no named enclosing type).</param>
/// <param name="RanRuntimeChecks">Whether the run-time program ran (only for the build machine's architecture).</param>
public sealed record ProofResult(ProofCounts Counts, IReadOnlyList<string> Failures, IReadOnlyList<string> Unprovable, bool RanRuntimeChecks)
{
    /// <summary>True when clang accepted every assertion and the run-time checks (if run) passed.</summary>
    public bool Proven => Failures.Count == 0;
}

/// <summary>
/// Proves a model equal to the C compiler's view of the same headers: compiles the <c>_Static_assert</c> file for
/// the model's target triple against the fetched headers, and on the build machine's own architecture also runs
/// the run-time checks.
/// </summary>
public static class ModelProof
{
    /// <summary>Proves <paramref name="model"/> against the headers in <paramref name="includeDir"/>, working in <paramref name="workDir"/>.</summary>
    public static ProofResult Prove(AbiModel model, string includeDir, string workDir)
    {
        Directory.CreateDirectory(workDir);
        var counts = new ProofCounts();
        var unprovable = new List<string>();
        var failures = new List<string>();

        string staticFile = Path.Combine(workDir, $"{model.Release}-{model.Arch}-static.c");
        File.WriteAllText(staticFile, CProofWriter.StaticAsserts(model, counts, unprovable));
        // The headers' "public/..." include spelling resolves as in the import (see PublicAlias).
        using var alias = PublicAlias.Create(Path.Combine(includeDir, "xen"));
        var args = new List<string>
        {
            "-target", model.Triple, "-std=gnu11", "-fsyntax-only", "-ferror-limit=0", "-w",
            "-ffreestanding", "-nostdinc", "-isystem", ClangDriver.ResourceIncludeDir(), "-isystem", LinuxUapiDir(workDir),
            "-I", includeDir, "-I", alias.Directory,
        };
        args.AddRange(model.Defines.Select(d => "-D" + d));
        args.Add(staticFile);
        var compiled = ClangDriver.Run(ClangDriver.Executable, args, workDir);
        if (!compiled.Succeeded) failures.AddRange(ErrorLines(compiled.Output, $"clang {model.Triple} exited {compiled.ExitCode}"));

        bool runtime = RuntimeInformation.OSArchitecture == Architecture.X64 && model.Arch == "x86_64";
        if (runtime) failures.AddRange(RunRuntimeChecks(model, includeDir, alias.Directory, workDir, counts));
        return new ProofResult(counts, failures, unprovable, runtime);
    }

    private static IEnumerable<string> RunRuntimeChecks(AbiModel model, string includeDir, string publicAlias, string workDir, ProofCounts counts)
    {
        string source = Path.Combine(workDir, $"{model.Release}-{model.Arch}-runtime.c");
        string program = Path.Combine(workDir, $"{model.Release}-{model.Arch}-runtime");
        File.WriteAllText(source, CProofWriter.RuntimeChecks(model, counts));
        var args = new List<string> { "-std=gnu11", "-w", "-I", includeDir, "-I", publicAlias, "-o", program, source };
        args.AddRange(CProofWriter.HostedDefines(model).Select(d => "-D" + d));
        var built = ClangDriver.Run(ClangDriver.Executable, args, workDir);
        if (!built.Succeeded) return ErrorLines(built.Output, $"building {source} failed");
        var ran = ClangDriver.Run(program, [], workDir);
        return ran.Succeeded ? [] : ran.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).DefaultIfEmpty($"{program} exited {ran.ExitCode}");
    }

    private static List<string> ErrorLines(string output, string fallback)
    {
        var lines = output.Split('\n').Where(l => l.Contains("error:", StringComparison.Ordinal)).ToList();
        if (lines.Count == 0) lines.Add(fallback + ": " + output.Trim());
        return lines;
    }

    /// <summary>
    /// Linux's own UAPI headers for <c>xen/sys/*.h</c> (<c>linux/types.h</c>, <c>linux/ioctl.h</c>); their integer
    /// types and ioctl encoding are the same on every architecture proven here. Nothing else of the host is visible.
    /// </summary>
    private static string LinuxUapiDir(string workDir)
    {
        string dir = Path.Combine(workDir, "uapi");
        if (Directory.Exists(dir)) return dir;
        string tmp = dir + ".tmp";
        if (Directory.Exists(tmp)) Directory.Delete(tmp, true);
        Directory.CreateDirectory(Path.Combine(tmp, "sys"));
        Directory.CreateSymbolicLink(Path.Combine(tmp, "linux"), "/usr/include/linux");
        Directory.CreateSymbolicLink(Path.Combine(tmp, "asm-generic"), "/usr/include/asm-generic");
        Directory.CreateSymbolicLink(Path.Combine(tmp, "asm"), "/usr/include/x86_64-linux-gnu/asm");
        File.WriteAllText(Path.Combine(tmp, "sys", "types.h"), "#include <stddef.h>\n#include <stdint.h>\n");
        Directory.Move(tmp, dir);
        return dir;
    }
}
