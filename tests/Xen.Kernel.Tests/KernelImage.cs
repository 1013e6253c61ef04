using System.Diagnostics;

namespace Xen.Kernel.Tests;

/// <summary>
/// The kernel image, published once per test run into a folder of its own; shared by every test class through
/// one collection, so no two publishes of the project run at once.
/// </summary>
public sealed class KernelImage : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("xen-kernel-").FullName;

    public static string Root { get; } = FindRoot();
    public string Elf => Path.Combine(_work, "xen-kernel.elf");
    public string Assembly => Path.Combine(_work, "Xen.Kernel.dll");

    public KernelImage()
    {
        var publish = Processes.Run("dotnet",
            ["publish", Path.Combine(Root, "kernel", "Xen.Kernel"), "-c", "Release", "-r", "linux-x64", "-nologo", "-v", "quiet", "-o", _work],
            TimeSpan.FromMinutes(5));
        if (publish.ExitCode != 0 || !File.Exists(Elf))
            throw new InvalidOperationException($"dotnet publish kernel/Xen.Kernel failed ({publish.ExitCode}):\n{publish.Stdout}\n{publish.Stderr}");
    }

    public void Dispose() => Directory.Delete(_work, recursive: true);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "XenGen.sln"))) return dir.FullName;
        throw new InvalidOperationException($"no XenGen.sln above {AppContext.BaseDirectory}");
    }
}

[CollectionDefinition(Name)]
public sealed class KernelImageCollection : ICollectionFixture<KernelImage>
{
    public const string Name = "kernel image";
}

internal static class Processes
{
    /// <summary>Runs a program to its end, or kills it when it outlives <paramref name="timeout"/>.</summary>
    public static (int ExitCode, string Stdout, string Stderr) Run(string file, IEnumerable<string> args, TimeSpan timeout)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args) info.ArgumentList.Add(arg);
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"cannot start {file}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            throw new TimeoutException($"{file} {string.Join(' ', info.ArgumentList)} did not end in {timeout}:\n{stdout.Result}\n{stderr.Result}");
        }
        return (process.ExitCode, stdout.Result, stderr.Result);
    }
}
