using XenGen.Tool.Headers;

namespace XenGen.Tool.Verify;

/// <summary>Runs Debian's <c>clang</c> (the peer that checks our model) and reports what it said.</summary>
internal static class ClangDriver
{
    public const string Executable = "clang";

    public sealed record Outcome(int ExitCode, string Output)
    {
        public bool Succeeded => ExitCode == 0;
    }

    public static Outcome Run(string executable, IEnumerable<string> args, string workDir)
    {
        var r = ProcessRunner.Run(executable, args, workDir, missingHint: "install Debian's clang package");
        return new Outcome(r.ExitCode, r.StandardOutput + r.StandardError);
    }

    /// <summary>clang's own builtin headers (<c>stddef.h</c>, <c>stdint.h</c>, ...), freestanding for every target.</summary>
    public static string ResourceIncludeDir()
    {
        var o = Run(Executable, ["-print-resource-dir"], Environment.CurrentDirectory);
        if (!o.Succeeded) throw new XenGenException($"{Executable} -print-resource-dir failed: {o.Output}");
        return Path.Combine(o.Output.Trim(), "include");
    }
}
