namespace XenGen.HeaderImporter;

/// <summary>
/// The public headers of one release as extracted from the Debian package: the directory that holds
/// <c>xen/</c>, the header paths (relative to <c>xen/</c>) and their text, read once.
/// </summary>
public sealed class HeaderTree
{
    private readonly Dictionary<string, HeaderText> _texts = new(StringComparer.Ordinal);

    /// <summary>Reads the tree under <paramref name="includeDir"/>, which must contain <c>xen/xen.h</c>.</summary>
    public HeaderTree(string includeDir)
    {
        IncludeDir = Path.GetFullPath(includeDir);
        XenDir = Path.Combine(IncludeDir, "xen");
        if (!File.Exists(Path.Combine(XenDir, "xen.h")))
        {
            throw new DirectoryNotFoundException($"{IncludeDir}: not a Xen public header tree (no xen/xen.h)");
        }
        foreach (var file in Directory.EnumerateFiles(XenDir, "*.h", SearchOption.AllDirectories))
        {
            string rel = Path.GetRelativePath(XenDir, file).Replace('\\', '/');
            _texts[rel] = new HeaderText(File.ReadAllLines(file));
        }
        Headers = _texts.Keys.OrderBy(k => k, StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// <c>__XEN_LATEST_INTERFACE_VERSION__</c> from <c>xen-compat.h</c>, as written (<c>0x00040e00</c>): the interface
    /// version the headers are parsed with, since an older one silently selects legacy layouts.
    /// </summary>
    public string LatestInterfaceVersion
    {
        get
        {
            var text = _texts.TryGetValue("xen-compat.h", out var t) ? t : throw new InvalidDataException($"{XenDir}: no xen-compat.h");
            for (int i = 1; i <= text.LineCount; i++)
            {
                var parts = text.Line(i).Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
                if (parts.Length >= 3 && parts[0] == "#define" && parts[1] == "__XEN_LATEST_INTERFACE_VERSION__") return parts[2];
            }
            throw new InvalidDataException($"{Path.Combine(XenDir, "xen-compat.h")}: no __XEN_LATEST_INTERFACE_VERSION__");
        }
    }

    /// <summary>The directory given with <c>-I</c>: it contains <c>xen/</c>.</summary>
    public string IncludeDir { get; }

    /// <summary>The <c>xen/</c> directory itself.</summary>
    public string XenDir { get; }

    /// <summary>Header paths relative to <c>xen/</c>, sorted ordinally.</summary>
    public IReadOnlyList<string> Headers { get; }

    /// <summary>The header path relative to <c>xen/</c> of an absolute file name, or null if outside the tree.</summary>
    public string? Relative(string fullPath)
    {
        if (fullPath.Length == 0) return null;
        string full = Path.GetFullPath(fullPath);
        if (!full.StartsWith(XenDir + Path.DirectorySeparatorChar, StringComparison.Ordinal)) return null;
        string rel = full.Substring(XenDir.Length + 1).Replace('\\', '/');
        return _texts.ContainsKey(rel) ? rel : null;
    }

    /// <summary>The text of a header given by its relative path.</summary>
    public HeaderText Text(string relativePath) => _texts[relativePath];

    /// <summary>
    /// Why <paramref name="header"/> does not apply to <paramref name="arch"/>, or null when it does. Only the
    /// architecture-specific parts of the tree are ruled out here; anything else that fails to parse is
    /// reported with clang's own error.
    /// </summary>
    public static string? NotApplicable(string header, TargetArch arch)
    {
        // arch-<family>.h, arch-<family>_<bits>.h and arch-<family>/... belong to one architecture family.
        if (!header.StartsWith("arch-", StringComparison.Ordinal)) return null;
        string rest = header["arch-".Length..];
        int end = rest.IndexOfAny(['/', '.', '_']);
        string family = end < 0 ? rest : rest[..end];
        if (family != arch.Family) return $"{family}-specific header";
        bool only32 = header is "arch-x86_32.h" or "arch-x86/xen-x86_32.h";
        bool only64 = header is "arch-x86_64.h" or "arch-x86/xen-x86_64.h";
        if (only32 && arch != TargetArch.X86_32) return "x86_32-specific header";
        if (only64 && arch != TargetArch.X86_64) return "x86_64-specific header";
        return null;
    }
}
