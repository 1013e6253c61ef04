using System.Diagnostics;

namespace Xen.Drivers.Frontends.Tests;

/// <summary>Publishing the check NativeAOT and running processes with a bounded wait.</summary>
internal static class FrontendsRun
{
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "XenGen.sln"))) return dir.FullName;
        throw new InvalidOperationException($"no XenGen.sln above {AppContext.BaseDirectory}");
    }

    /// <summary>The guests' busybox initramfs has no .NET: the check goes in as one NativeAOT executable.</summary>
    public static string PublishCheck(string repo, string folder)
    {
        string project = Path.Combine(repo, "tests", "Xen.Drivers.Frontends.Check", "Xen.Drivers.Frontends.Check.csproj");
        var (exit, text) = Run("dotnet", ["publish", project, "-c", "Release", "-r", "linux-x64", "-o", folder, "-nologo", "-v", "quiet"], TimeSpan.FromMinutes(20));
        if (exit != 0) throw new InvalidOperationException($"publishing {project} failed ({exit}): {text}");
        return Path.Combine(folder, "xen-front-check");
    }

    /// <summary>realxen's build in this repository.</summary>
    public static string Realxen(string repo)
    {
        string dll = Path.Combine(repo, "tools", "realxen", "bin", "Release", "net10.0", "realxen.dll");
        if (!File.Exists(dll)) throw new InvalidOperationException($"{dll}: build tools/realxen first");
        return dll;
    }

    public static (int Exit, string Output) Run(string file, string[] args, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }
        return (process.HasExited ? process.ExitCode : -1, stdout.Result + stderr.Result);
    }
}
