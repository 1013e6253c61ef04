namespace XenGen.Tool.Tests.Support;

/// Builds small real .deb files with dpkg-deb, holding usr/include/xen/... headers.
public static class DebBuilder
{
    public static string Build(string workDir, string package, string version, IReadOnlyDictionary<string, string> headers)
    {
        var root = Path.Combine(workDir, $"root-{package}-{version}");
        Directory.CreateDirectory(Path.Combine(root, "DEBIAN"));
        File.WriteAllText(Path.Combine(root, "DEBIAN", "control"),
            $"Package: {package}\nVersion: {version}\nArchitecture: all\nMaintainer: XenGen tests <tests@xengen.invalid>\nDescription: test headers\n");
        foreach (var (path, text) in headers)
        {
            var full = Path.Combine(root, "usr", "include", path);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllText(full, text);
        }
        var deb = Path.Combine(workDir, $"{package}_{version}_all.deb");
        var r = Shell.Run("dpkg-deb", ["--root-owner-group", "--build", root, deb]);
        Assert.True(r.ExitCode == 0, "dpkg-deb --build failed: " + r.Err);
        return deb;
    }
}
