using System.Security.Cryptography;
using System.Text;

namespace XenGen.Tool.Headers;

/// <summary>
/// The identity of a header tree, as pinned in <c>releases.json</c>. It equals
/// <c>cd include &amp;&amp; find xen -type f | LC_ALL=C sort | xargs sha256sum | sha256sum</c>:
/// the sha256 of the <c>sha256sum</c> lines (<c>&lt;hex&gt;  xen/io/ring.h\n</c>) of every regular file under
/// <c>xen/</c>, in byte order of their paths. Symbolic links are neither hashed nor followed, as with <c>find -type f</c>.
/// </summary>
public static class HeaderTreeHash
{
    /// <summary>Hashes the tree under <c><paramref name="includeDir"/>/xen</c>; returns lowercase hex.</summary>
    /// <exception cref="XenGenException"><paramref name="includeDir"/> has no <c>xen</c> directory.</exception>
    public static string Compute(string includeDir)
    {
        var xenDir = Path.Combine(includeDir, "xen");
        if (!Directory.Exists(xenDir))
            throw new XenGenException($"{includeDir}: no xen/ directory to hash");

        var paths = new List<string>();
        CollectFiles(new DirectoryInfo(xenDir), "xen", paths);
        paths.Sort(CompareUtf8);

        using var listing = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var path in paths)
            listing.AppendData(Encoding.UTF8.GetBytes(SumLine(FileSha256(Path.Combine(includeDir, path)), path)));
        return Convert.ToHexStringLower(listing.GetHashAndReset());
    }

    /// <summary>sha256 of one file, lowercase hex.</summary>
    public static string FileSha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    /// <summary>One line of GNU <c>sha256sum</c> output, including its escaping of <c>\</c>, CR and LF in names.</summary>
    internal static string SumLine(string hex, string path)
    {
        if (path.AsSpan().IndexOfAny('\\', '\n', '\r') < 0)
            return $"{hex}  {path}\n";
        var escaped = path.Replace("\\", "\\\\").Replace("\n", "\\n").Replace("\r", "\\r");
        return $"\\{hex}  {escaped}\n";
    }

    private static void CollectFiles(DirectoryInfo dir, string relative, List<string> into)
    {
        var options = new EnumerationOptions { AttributesToSkip = 0, IgnoreInaccessible = false, RecurseSubdirectories = false };
        foreach (var entry in dir.EnumerateFileSystemInfos("*", options))
        {
            if (entry.LinkTarget is not null)
                continue;
            var path = relative + "/" + entry.Name;
            if (entry is DirectoryInfo sub)
                CollectFiles(sub, path, into);
            else if (entry is FileInfo)
                into.Add(path);
        }
    }

    // LC_ALL=C sort orders by bytes, which for UTF-8 is not quite UTF-16 ordinal order.
    private static int CompareUtf8(string a, string b) =>
        Encoding.UTF8.GetBytes(a).AsSpan().SequenceCompareTo(Encoding.UTF8.GetBytes(b));
}
