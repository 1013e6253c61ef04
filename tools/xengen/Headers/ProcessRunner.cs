using System.ComponentModel;
using System.Diagnostics;

namespace XenGen.Tool.Headers;

/// <summary>Output of a finished child process.</summary>
/// <param name="ExitCode">The process exit code.</param>
/// <param name="StandardOutput">Everything written to stdout.</param>
/// <param name="StandardError">Everything written to stderr.</param>
internal sealed record ProcessResult(int ExitCode, string StandardOutput, string StandardError);

/// <summary>Runs external tools (apt-get, apt-cache, dpkg-deb, clang) with the C locale, capturing their output.</summary>
internal static class ProcessRunner
{
    /// <summary>Runs <paramref name="program"/>; <paramref name="missingHint"/> ends the error when it cannot be started.</summary>
    public static ProcessResult Run(string program, IEnumerable<string> arguments, string? workingDirectory = null,
        string missingHint = "fetching headers needs Debian's apt and dpkg")
    {
        var info = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? "",
        };
        foreach (var a in arguments)
            info.ArgumentList.Add(a);
        // apt's messages are parsed and quoted back to the user; keep them untranslated.
        info.Environment["LC_ALL"] = "C";

        Process process;
        try
        {
            process = Process.Start(info) ?? throw new XenGenException($"{program}: could not be started");
        }
        catch (Win32Exception e)
        {
            throw new XenGenException($"{program}: cannot run it ({e.Message}); {missingHint}", e);
        }
        using (process)
        {
            var stderr = process.StandardError.ReadToEndAsync();
            var stdout = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return new ProcessResult(process.ExitCode, stdout, stderr.Result);
        }
    }

    /// <summary>Runs the program and throws, quoting its stderr, when it exits non-zero.</summary>
    public static ProcessResult RunChecked(string program, IEnumerable<string> arguments, string what, string? workingDirectory = null)
    {
        var args = arguments.ToList();
        var result = Run(program, args, workingDirectory);
        if (result.ExitCode != 0)
        {
            var detail = result.StandardError.Trim();
            throw new XenGenException(
                $"{what} failed: `{program} {string.Join(' ', args)}` exited with {result.ExitCode}" +
                (detail.Length > 0 ? $":\n{detail}" : ""));
        }
        return result;
    }
}
