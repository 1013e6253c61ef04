namespace XenGen.Tool.Tests.Support;

/// Runs the built xengen executable from the repository root, as a user would.
public static class Xengen
{
    public static ShellResult Run(params string[] args)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "xengen.dll");
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
        return Shell.Run(dotnet, [dll, .. args], Repo.Root);
    }

    public static void AssertNoStackTrace(ShellResult r) => Assert.DoesNotContain("   at ", r.Err + r.Out);
}
