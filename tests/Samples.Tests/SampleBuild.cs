using System.Diagnostics;
using System.Text.RegularExpressions;

namespace XenGen.Samples.Tests;

/// <summary>
/// Builds samples from the local feed into a package folder of this run's own, so a package left in the machine's
/// NuGet cache by an earlier pack of the same version can never stand in for the one just packed.
/// </summary>
public sealed partial class SampleBuild : IDisposable
{
    /// <summary>The packages every sample needs, in the repository's one version.</summary>
    private static readonly string[] Packages = ["XenGen.RingGenerator", "Xen.Rings", "Xen.Abi", "Xen.XenStore.Protocol", "Xen.XenStore.Client"];

    public string Root { get; } = FindRoot();
    public string Feed => Path.Combine(Root, "artifacts", "packages");
    public string Version { get; }
    private readonly string _work = Directory.CreateTempSubdirectory("xengen-samples-").FullName;

    public SampleBuild()
    {
        Version = VersionPrefix().Match(File.ReadAllText(Path.Combine(Root, "Directory.Build.props"))).Groups[1].Value;
        var missing = Packages.Where(p => !File.Exists(Path.Combine(Feed, $"{p}.{Version}.nupkg"))).ToList();
        if (missing.Count > 0)
        {
            throw new InvalidOperationException(
                $"{Feed}: no {string.Join(", ", missing.Select(p => $"{p}.{Version}.nupkg"))}; run `dotnet pack XenGen.sln -c Release -o artifacts/packages` first (./test.sh does)");
        }
    }

    public void Dispose() => Directory.Delete(_work, recursive: true);

    /// <summary>Builds samples/<paramref name="sample"/> (restoring from the feed) and returns the folder of its output.</summary>
    public string Build(string sample, params string[] options)
    {
        var build = TryBuild(sample, options);
        Assert.True(build.ExitCode == 0, $"dotnet build samples/{sample} {string.Join(' ', options)} failed:\n{build.Stdout}\n{build.Stderr}");
        return build.Output;
    }

    /// <summary>Builds samples/<paramref name="sample"/> and returns the outcome, failed or not.</summary>
    public (int ExitCode, string Stdout, string Stderr, string Output) TryBuild(string sample, params string[] options)
    {
        string output = Path.Combine(_work, "out", sample + string.Concat(options).Replace('-', '_').Replace(':', '_').Replace('=', '_'));
        var build = Run("dotnet", ["build", Path.Combine(Root, "samples", sample), "-c", "Release", "-nologo", "-v", "quiet",
            "-o", output, $"-p:RestorePackagesPath={Path.Combine(_work, "packages")}", .. options], TimeSpan.FromMinutes(5));
        return (build.ExitCode, build.Stdout, build.Stderr, output);
    }

    /// <summary>Runs a program and returns its exit code and output; it is killed if it outlives <paramref name="timeout"/>.</summary>
    public static (int ExitCode, string Stdout, string Stderr) Run(string file, IEnumerable<string> args, TimeSpan timeout, IDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string arg in args) info.ArgumentList.Add(arg);
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) info.Environment[key] = value;
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"cannot start {file}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish in {timeout}");
        }
        process.WaitForExit();
        return (process.ExitCode, stdout.Result, stderr.Result);
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "XenGen.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException($"no XenGen.sln above {AppContext.BaseDirectory}");
    }

    [GeneratedRegex("<VersionPrefix>([^<]+)</VersionPrefix>")]
    private static partial Regex VersionPrefix();
}

/// <summary>The samples share one build fixture, and run one after another (each build uses both cores).</summary>
[CollectionDefinition(Name)]
public sealed class SamplesCollection : ICollectionFixture<SampleBuild>
{
    public const string Name = "samples";
}
