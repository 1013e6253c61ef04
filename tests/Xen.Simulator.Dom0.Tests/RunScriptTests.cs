using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Xen.Simulator.Dom0.Tests;

/// <summary>The repository's <c>./run.sh</c> ends with a short boot of one guest on xensim, and that boot runs.</summary>
public sealed partial class RunScriptTests
{
    private static readonly string Root = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", ".."));

    [Fact]
    public async Task Run_sh_ends_with_a_short_xensim_boot_that_boots_and_stops()
    {
        var boot = FinalBoot(await File.ReadAllTextAsync(Path.Combine(Root, "run.sh")));
        var start = new ProcessStartInfo("bash", ["-euo", "pipefail", "-c", boot]) { WorkingDirectory = Root, RedirectStandardOutput = true, RedirectStandardError = true };
        using var run = Process.Start(start)!;
        var output = run.StandardOutput.ReadToEndAsync();
        var errors = run.StandardError.ReadToEndAsync();
        await run.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(180));
        var lines = (await output).Split('\n');
        Assert.True(run.ExitCode == 0, await errors);
        Assert.Contains(lines, l => l.StartsWith("xen0 at pvbus0: Xen 4.17", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("xbf0 at xen0: device/vbd/", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("xnf0 at xen0: device/vif/", StringComparison.Ordinal));
        Assert.Contains("xensim: domain 1 shut down (SHUTDOWN_poweroff)", lines);
    }

    [Fact]
    public void The_final_boot_check_refuses_a_script_that_ends_otherwise()
    {
        const string build = "dotnet build tools/xensim -c Release -nologo -v quiet\n";
        const string boot = "dotnet tools/xensim/bin/Release/net10.0/xensim.dll run --disk /dev/null --for 3\n";
        Assert.Equal(boot.TrimEnd(), FinalBoot("#!/bin/sh\n" + build + boot + "\n# done\n"));
        Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => FinalBoot(build + boot + "xengen verify\n"));
        Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => FinalBoot(build + boot.Replace("--for 3", "--for 60", StringComparison.Ordinal)));
        Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => FinalBoot(build + boot.Replace(" --for 3", "", StringComparison.Ordinal)));
        Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => FinalBoot(boot));
    }

    /// <summary>
    /// The script's last command (comments and blank lines aside): a <c>xensim run</c> of at most 10 seconds
    /// (<c>--for</c>), right after the build of tools/xensim.
    /// </summary>
    internal static string FinalBoot(string script)
    {
        var commands = script.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToArray();
        Assert.True(commands.Length >= 2, "the script has fewer than two commands");
        var boot = commands[^1];
        var m = BootLine().Match(boot);
        Assert.True(m.Success, $"the last command is not a xensim run with --for: {boot}");
        var seconds = double.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(seconds <= 10, $"the final boot runs {seconds} s, not a short boot");
        Assert.StartsWith("dotnet build tools/xensim ", commands[^2], StringComparison.Ordinal);
        return boot;
    }

    [GeneratedRegex(@"^dotnet tools/xensim/bin/Release/net10\.0/xensim\.dll run( .*)? --for (\d+(?:\.\d+)?)$")]
    private static partial Regex BootLine();
}
