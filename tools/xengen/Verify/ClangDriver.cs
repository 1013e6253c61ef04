using System.Diagnostics;

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
        var psi = new ProcessStartInfo(executable) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = workDir };
        foreach (var a in args) psi.ArgumentList.Add(a);
        Process process;
        try
        {
            process = Process.Start(psi) ?? throw new XenGenException($"{executable}: could not be started");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new XenGenException($"{executable}: not found ({e.Message}); install Debian's clang package");
        }
        using (process)
        {
            var stderr = process.StandardError.ReadToEndAsync();
            string stdout = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return new Outcome(process.ExitCode, stdout + stderr.Result);
        }
    }

    /// <summary>clang's own builtin headers (<c>stddef.h</c>, <c>stdint.h</c>, ...), freestanding for every target.</summary>
    public static string ResourceIncludeDir()
    {
        var o = Run(Executable, ["-print-resource-dir"], Environment.CurrentDirectory);
        if (!o.Succeeded) throw new XenGenException($"{Executable} -print-resource-dir failed: {o.Output}");
        return Path.Combine(o.Output.Trim(), "include");
    }
}
