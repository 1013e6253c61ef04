using System.Diagnostics;

namespace XenGen.RealXen.Tests.OurXenstored;

/// <summary>
/// The boot <see cref="OurXenstoredTests"/> reads: tools/xenstored published NativeAOT, then <c>dom0-store-check.sh</c>
/// under <c>realxen run --store ours</c> (every check), once for the whole class. The same script with Debian's C
/// xenstored is <see cref="CXenstoredBoot"/>, shared with <see cref="RealXenBootTests"/>.
/// </summary>
public sealed class OurXenstoredBoots : IAsyncLifetime
{
    private static readonly TimeSpan BootLimit = TimeSpan.FromMinutes(55);

    /// <summary>The boot with our xenstored as dom0's store.</summary>
    internal RealXenProcess.Result Ours { get; private set; } = null!;

    /// <inheritdoc/>
    public async Task InitializeAsync()
    {
        string script = StoreCheckScript.Copy();
        string xenstored = await PublishAsync(Path.GetDirectoryName(script)!);
        Ours = await RealXenProcess.RunAsync(["run", "--timeout", "3000", "--store", "ours", "--xenstored", xenstored, "--", "sh", script], BootLimit);
    }

    /// <inheritdoc/>
    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>tools/xenstored as the NativeAOT binary a dom0 would run (a JIT start under the emulator takes minutes).</summary>
    private static async Task<string> PublishAsync(string work)
    {
        string project = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(RealXenProcess.Dll)!, "..", "..", "..", "..", "xenstored", "xenstored.csproj"));
        string output = Path.Combine(work, "xenstored");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "publish", project, "-c", "Release", "-r", "linux-x64", "-o", output, "-nologo", "-v", "quiet" }) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var bound = new CancellationTokenSource(TimeSpan.FromMinutes(20));
        try
        {
            await process.WaitForExitAsync(bound.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            throw new TimeoutException($"dotnet publish {project} took longer than 20 minutes");
        }
        string binary = Path.Combine(output, "xenstored");
        if (process.ExitCode != 0 || !File.Exists(binary))
            throw new InvalidOperationException($"dotnet publish {project} exited {process.ExitCode}:\n{await stdout}\n{await stderr}");
        return binary;
    }
}
