using System.Diagnostics;

namespace XenGen.RealXen.Tests;

/// <summary>Runs the built <c>realxen</c> as a user would, with a wall-clock bound.</summary>
internal static class RealXenProcess
{
    /// <summary>tools/realxen's build of the same configuration as these tests.</summary>
    public static string Dll =>
        Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", "tools", "realxen", "bin", "Release", "net10.0", "realxen.dll"));

    public sealed record Result(int ExitCode, string Output, string Error)
    {
        public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Output}\n--- stderr\n{Error}";
    }

    public static async Task<Result> RunAsync(IEnumerable<string> arguments, TimeSpan limit)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        start.ArgumentList.Add(Dll);
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var bound = new CancellationTokenSource(limit);
        try
        {
            await process.WaitForExitAsync(bound.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            throw new TimeoutException($"realxen ran longer than {limit}: {await error}");
        }
        return new Result(process.ExitCode, await output, await error);
    }
}
