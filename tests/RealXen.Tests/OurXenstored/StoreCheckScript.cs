namespace XenGen.RealXen.Tests.OurXenstored;

/// <summary><c>dom0-store-check.sh</c>, the dom0 script both stores' boots run.</summary>
internal static class StoreCheckScript
{
    /// <summary>Copies the script from the test's output into a fresh folder (dom0 reads the host's files) and returns its path.</summary>
    public static string Copy()
    {
        string script = Path.Combine(Directory.CreateTempSubdirectory("realxen-store-").FullName, "dom0-store-check.sh");
        File.Copy(Path.Combine(AppContext.BaseDirectory, "OurXenstored", "dom0-store-check.sh"), script);
        return script;
    }
}
