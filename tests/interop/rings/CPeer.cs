using System.Diagnostics;

namespace XenGen.Interop;

/// <summary>Builds the C peers (ring_peer.c, byte_ring_peer.c) with clang against the fetched Xen headers, and runs them.</summary>
public static class CPeer
{
    /// <summary>The interface version the headers are compiled with (the model's <c>interfaceVersion</c>).</summary>
    public const string InterfaceVersion = "0x00040e00";

    /// <summary>
    /// Compiles <paramref name="source"/> (ring_peer.c unless named) from <paramref name="sourceDir"/> into
    /// <paramref name="outputDir"/>; returns the program's path, the source's name without <c>.c</c>.
    /// </summary>
    /// <exception cref="InvalidOperationException">clang failed; the message holds its output.</exception>
    public static string Build(string sourceDir, string includeDir, string outputDir, string source = "ring_peer.c")
    {
        Directory.CreateDirectory(outputDir);
        string program = Path.Combine(outputDir, Path.GetFileNameWithoutExtension(source));
        var (code, output) = Run("clang", ["-O2", "-Wall", "-Wextra", "-Werror", "-D__XEN_INTERFACE_VERSION__=" + InterfaceVersion,
            "-I", includeDir, Path.Combine(sourceDir, source), "-o", program, "-lpthread"], TimeSpan.FromMinutes(2));
        if (code != 0) throw new InvalidOperationException($"clang failed on {source}:\n" + output);
        return program;
    }

    /// <summary>Starts a program with arguments, capturing its standard output.</summary>
    public static Process Start(string program, IEnumerable<string> args)
    {
        var psi = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        return Process.Start(psi) ?? throw new InvalidOperationException("cannot start " + program);
    }

    /// <summary>Runs a program to completion within <paramref name="timeout"/>; returns its exit code and output.</summary>
    public static (int Code, string Output) Run(string program, IEnumerable<string> args, TimeSpan timeout)
    {
        using var p = Start(program, args);
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeout))
        {
            p.Kill();
            return (-1, "timed out");
        }
        return (p.ExitCode, stdout.Result + stderr.Result);
    }
}
