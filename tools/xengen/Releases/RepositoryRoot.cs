namespace XenGen.Tool.Releases;

/// <summary>Finds the XenGen repository: the directory holding <see cref="ReleaseCatalog.RelativePath"/>.</summary>
public static class RepositoryRoot
{
    /// <summary>
    /// Returns <paramref name="explicitRoot"/> (the <c>--repo</c> option) when given, else the nearest directory at or
    /// above <paramref name="startDirectory"/> that holds the release catalog.
    /// </summary>
    /// <exception cref="XenGenException">The given directory has no catalog, or none was found walking up.</exception>
    public static string Locate(string? explicitRoot, string startDirectory)
    {
        if (explicitRoot is not null)
        {
            var root = Path.GetFullPath(explicitRoot);
            if (!File.Exists(Path.Combine(root, ReleaseCatalog.RelativePath)))
                throw new XenGenException($"--repo {explicitRoot}: no {ReleaseCatalog.RelativePath} there");
            return root;
        }
        for (var dir = new DirectoryInfo(Path.GetFullPath(startDirectory)); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, ReleaseCatalog.RelativePath)))
                return dir.FullName;
        }
        throw new XenGenException(
            $"{startDirectory}: no {ReleaseCatalog.RelativePath} here or in any parent directory; run inside the XenGen repository or pass --repo DIR");
    }
}
