using System.Diagnostics;

namespace XenGen.RealXen.Host;

/// <summary>Runs a helper program to completion and fails with its name, arguments and error output.</summary>
internal static class ProcessRunner
{
    /// <summary>The finished run of a helper.</summary>
    public sealed record Result(int ExitCode, string Output, string Error);

    /// <summary>Runs <paramref name="program"/> and returns what it printed, whatever its status.</summary>
    public static Result Run(string program, IEnumerable<string> arguments, string? workingDirectory = null, IDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        if (environment is not null) foreach (var (key, value) in environment) start.Environment[key] = value;
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new RealXenException($"cannot start {program}");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new RealXenException($"cannot start {program}: {e.Message}");
        }
        using (process)
        {
            process.StandardInput.Close();
            var error = process.StandardError.ReadToEndAsync();
            var output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return new Result(process.ExitCode, output, error.Result);
        }
    }

    /// <summary>Runs <paramref name="program"/> and returns its output, or throws when it exits non-zero.</summary>
    public static string Check(string program, IEnumerable<string> arguments, string? workingDirectory = null, IDictionary<string, string>? environment = null)
    {
        var list = arguments.ToList();
        var result = Run(program, list, workingDirectory, environment);
        if (result.ExitCode != 0)
            throw new RealXenException($"{program} {string.Join(' ', list)} exited {result.ExitCode}: {result.Error.Trim()}");
        return result.Output;
    }
}

/// <summary>A failure realxen reports as one line and exits non-zero for; no stack trace.</summary>
internal class RealXenException(string message) : Exception(message);
