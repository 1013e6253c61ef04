using System.Diagnostics;

namespace Xen.Drivers.RealXen.Tests;

/// <summary>Publishing xenbackendd and running realxen as a user would, each with a wall-clock bound.</summary>
internal static class RealXenRun
{
    /// <summary>The repository's root (holds XenGen.sln).</summary>
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "XenGen.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException($"no XenGen.sln above {AppContext.BaseDirectory}");
    }

    /// <summary>tools/realxen's Release build.</summary>
    public static string RealXenDll(string repo) => Path.Combine(repo, "tools", "realxen", "bin", "Release", "net10.0", "realxen.dll");

    /// <summary>A script of this project's Scripts folder, as copied next to the tests.</summary>
    public static string Script(string name) => Path.Combine(AppContext.BaseDirectory, "Scripts", name);

    /// <summary>
    /// xenbackendd published NativeAOT into <paramref name="folder"/>: a JIT start takes minutes under the emulator and
    /// libxl gives a vif's backend 10 s to reach InitWait.
    /// </summary>
    public static string PublishBackendDaemon(string repo, string folder)
    {
        var project = Path.Combine(repo, "tools", "xenbackendd", "xenbackendd.csproj");
        var (exit, text) = Run("dotnet", ["publish", project, "-c", "Release", "-r", "linux-x64", "-o", folder, "-nologo", "-v", "quiet"], TimeSpan.FromMinutes(20));
        if (exit != 0) throw new InvalidOperationException($"dotnet publish {project} exited {exit}:\n{text}");
        return Path.Combine(folder, "xenbackendd");
    }

    /// <summary>Runs <paramref name="file"/> to its end or kills it after <paramref name="timeout"/>; stdout and stderr together.</summary>
    public static (int Exit, string Output) Run(string file, IEnumerable<string> args, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            return (-1, $"killed after {timeout}\n{stdout.Result}\n--- stderr\n{stderr.Result}");
        }
        return (process.ExitCode, stdout.Result + "\n--- stderr\n" + stderr.Result);
    }
}
