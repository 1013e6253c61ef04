namespace XenGen.Tool.Headers;

/// <summary>
/// A header tree given as a directory or a tarball rather than a Debian package, for releases no distribution
/// packages. The public folder (the directory holding <c>xen.h</c>) is found in one of these shapes, in this order:
/// <c>X/xen.h</c> (the public folder itself), <c>X/xen/xen.h</c> (an include directory),
/// <c>X/xen/include/public/xen.h</c> (a Xen source checkout) or <c>X/usr/include/xen/xen.h</c> (an installed tree);
/// for a tarball, X is the extracted top level or, when that is one directory, that directory
/// (<c>xen-4.21.0/</c>). Its regular files (not symbolic links, as the tree hash does) are copied into a staged
/// <c>include/xen/</c>.
/// </summary>
internal static class TreeSource
{
    private static readonly string[] TarballSuffixes = [".tar.gz", ".tgz", ".tar.xz", ".txz"];

    /// <summary>What <see cref="Stage"/> made: the release directory to install and what identifies it.</summary>
    /// <param name="StagedDir">A directory holding <c>include/xen/</c>, ready for <see cref="HeaderCache.Install"/>.</param>
    /// <param name="HeaderTreeSha256">The tree's hash (<see cref="HeaderTreeHash"/>).</param>
    /// <param name="InterfaceVersion">Its <c>__XEN_LATEST_INTERFACE_VERSION__</c>.</param>
    /// <param name="Origin">The file name of the tarball or directory given.</param>
    /// <param name="OriginSha256">The tarball's sha256, or null for a directory.</param>
    public sealed record Staged(string StagedDir, string HeaderTreeSha256, string InterfaceVersion, string Origin, string? OriginSha256);

    /// <summary>True when <paramref name="path"/> names a tarball xengen reads.</summary>
    public static bool IsTarball(string path) => TarballSuffixes.Any(s => path.EndsWith(s, StringComparison.OrdinalIgnoreCase));

    /// <summary>Finds the public folder of <paramref name="from"/> and copies it into <c>scratch/release/include/xen</c>.</summary>
    /// <exception cref="XenGenException">Not a directory or tarball, no public folder in it, or tar failed; the message names it.</exception>
    public static Staged Stage(string from, string scratch)
    {
        string full = Path.GetFullPath(from);
        string origin = Path.GetFileName(Path.TrimEndingDirectorySeparator(full));
        string? originSha = null;
        string root;
        if (Directory.Exists(full))
        {
            root = full;
        }
        else if (File.Exists(full))
        {
            if (!IsTarball(full))
                throw new XenGenException($"{from}: not a directory or a tarball ({string.Join(", ", TarballSuffixes)})");
            originSha = HeaderTreeHash.FileSha256(full);
            root = Directory.CreateDirectory(Path.Combine(scratch, "extracted")).FullName;
            ProcessRunner.RunChecked("tar", ["-xf", full, "-C", root], $"extracting {from}");
            var top = Directory.GetFileSystemEntries(root);
            if (top.Length == 1 && Directory.Exists(top[0]) && FindPublic(root) is null) root = top[0];
        }
        else
        {
            throw new XenGenException($"{from}: no such directory or tarball");
        }

        string publicDir = FindPublic(root) ?? throw new XenGenException(
            $"{from}: no Xen public headers: none of xen.h, xen/xen.h, xen/include/public/xen.h, usr/include/xen/xen.h" +
            (originSha is null ? "" : " (in the tarball or its one top-level directory)"));
        if (!File.Exists(Path.Combine(publicDir, "xen-compat.h")))
            throw new XenGenException($"{Path.Combine(publicDir, "xen-compat.h")}: missing; a Xen public header tree has one (it defines __XEN_LATEST_INTERFACE_VERSION__)");

        string staged = Path.Combine(scratch, "release");
        CopyRegularFiles(new DirectoryInfo(publicDir), Path.Combine(staged, "include", "xen"));
        string include = Path.Combine(staged, "include");
        string version;
        try
        {
            version = new HeaderImporter.HeaderTree(include).LatestInterfaceVersion;
        }
        catch (InvalidDataException e)
        {
            throw new XenGenException($"{from}: {e.Message}", e);
        }
        return new Staged(staged, HeaderTreeHash.Compute(include), version, origin, originSha);
    }

    private static string? FindPublic(string root)
    {
        string[][] shapes = [[], ["xen"], ["xen", "include", "public"], ["usr", "include", "xen"]];
        foreach (var shape in shapes)
        {
            string dir = Path.Combine([root, .. shape]);
            if (File.Exists(Path.Combine(dir, "xen.h"))) return dir;
        }
        return null;
    }

    private static void CopyRegularFiles(DirectoryInfo from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var entry in from.EnumerateFileSystemInfos())
        {
            if (entry.LinkTarget is not null) continue;
            if (entry is DirectoryInfo sub) CopyRegularFiles(sub, Path.Combine(to, entry.Name));
            else if (entry is FileInfo file) file.CopyTo(Path.Combine(to, entry.Name));
        }
    }
}
