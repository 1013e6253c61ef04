namespace XenGen.RealXen.Tests;

/// <summary>realxen's answers to bad input, before anything boots.</summary>
public sealed class CommandLineTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task A_disk_with_an_unknown_backend_is_refused_naming_the_input()
    {
        var result = await RealXenProcess.RunAsync(["guest", "--disk", "/tmp/d.img,backend=nbd", "--", "true"], Limit);
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("--disk '/tmp/d.img,backend=nbd': 'backend=nbd' is not backend=kernel, backend=qdisk or backend=standalone", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Too_little_memory_and_no_command_are_refused()
    {
        var result = await RealXenProcess.RunAsync(["run", "--memory", "512"], Limit);
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("--memory: at least 1024 MiB", result.Error, StringComparison.Ordinal);
        Assert.Contains("Required argument missing", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Guest_outside_a_dom0_says_where_it_runs()
    {
        var result = await RealXenProcess.RunAsync(["guest", "--", "true"], Limit);
        Assert.True(result.ExitCode == 125, result.ToString());
        Assert.Contains("this is not a Xen dom0", result.Error, StringComparison.Ordinal);
    }
}
