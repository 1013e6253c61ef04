using System.Diagnostics;

namespace XenGen.Tool.Tests.Support;

public sealed record ShellResult(int ExitCode, string Out, string Err);

/// Runs real tools (bash, dpkg-deb, the xengen executable) as the reference the code is checked against.
public static class Shell
{
    public static ShellResult Run(string program, IEnumerable<string> args, string? workingDirectory = null)
    {
        var info = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory ?? "",
        };
        foreach (var a in args)
            info.ArgumentList.Add(a);
        info.Environment["LC_ALL"] = "C";
        using var p = Process.Start(info)!;
        var err = p.StandardError.ReadToEndAsync();
        var output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return new ShellResult(p.ExitCode, output, err.Result);
    }

    public static string Bash(string script, string? workingDirectory = null)
    {
        var r = Run("bash", ["-c", script], workingDirectory);
        Assert.True(r.ExitCode == 0, $"bash failed ({r.ExitCode}): {script}\n{r.Err}");
        return r.Out;
    }
}
