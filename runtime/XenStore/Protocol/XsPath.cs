namespace Xen.XenStore.Protocol;

/// <summary>How a path given in a request is written.</summary>
public enum XsPathKind
{
    /// <summary>Not a legal path: empty, a character outside <c>[A-Za-z0-9-/_@]</c>, a doubled or trailing slash, or too long.</summary>
    Invalid,

    /// <summary>Starts with <c>/</c>; at most <c>XENSTORE_ABS_PATH_MAX</c> bytes.</summary>
    Absolute,

    /// <summary>Relative to the caller's home <c>/local/domain/&lt;domid&gt;</c>; at most <c>XENSTORE_REL_PATH_MAX</c> bytes.</summary>
    Relative,

    /// <summary>A special watch path: <c>@</c> and a name, such as <c>@introduceDomain</c>.</summary>
    Special,
}

/// <summary>
/// XenStore path syntax (docs/misc/xenstore.txt): <c>/</c>-separated, ASCII alphanumerics and <c>-/_@</c>, no
/// doubled or trailing slash except the root, limits from <c>xs_wire.h</c>. Also the domain home paths.
/// </summary>
public static class XsPath
{
    /// <summary>The root node.</summary>
    public const string Root = "/";

    /// <summary>The special watch path fired when a domain is introduced.</summary>
    public const string IntroduceDomain = "@introduceDomain";

    /// <summary>The special watch path fired when a domain is released.</summary>
    public const string ReleaseDomain = "@releaseDomain";

    /// <summary>The parent of every domain's home.</summary>
    public const string LocalDomain = "/local/domain";

    /// <summary>Classifies <paramref name="path"/> and checks its syntax and length.</summary>
    /// <param name="path">The path's bytes, without a terminator.</param>
    /// <returns>Its kind, or <see cref="XsPathKind.Invalid"/>.</returns>
    public static XsPathKind Classify(ReadOnlySpan<byte> path)
    {
        if (path.IsEmpty) return XsPathKind.Invalid;
        if (path[0] == (byte)'@')
        {
            return path.Length > 1 && path.Length <= XsWire.XenstoreAbsPathMax && AllLegal(path) ? XsPathKind.Special : XsPathKind.Invalid;
        }
        bool absolute = path[0] == (byte)'/';
        int max = absolute ? XsWire.XenstoreAbsPathMax : XsWire.XenstoreRelPathMax;
        if (path.Length > max || !AllLegal(path)) return XsPathKind.Invalid;
        if (path.IndexOf("//"u8) >= 0) return XsPathKind.Invalid;
        if (path.Length > 1 && path[^1] == (byte)'/') return XsPathKind.Invalid;
        return absolute ? XsPathKind.Absolute : XsPathKind.Relative;
    }

    /// <summary>Turns a request's path into the absolute path it names for a caller in domain <paramref name="domainId"/>.</summary>
    /// <param name="path">The path's bytes.</param>
    /// <param name="domainId">The caller's domain, whose home a relative path is under.</param>
    /// <param name="absolute">The absolute path.</param>
    /// <returns>False for an invalid or special path, or one whose absolute form is longer than <c>XENSTORE_ABS_PATH_MAX</c>.</returns>
    public static bool TryResolve(ReadOnlySpan<byte> path, uint domainId, out string absolute)
    {
        absolute = "";
        switch (Classify(path))
        {
            case XsPathKind.Absolute:
                absolute = Ascii(path);
                return true;
            case XsPathKind.Relative:
                string home = DomainHome(domainId);
                if (home.Length + 1 + path.Length > XsWire.XenstoreAbsPathMax) return false;
                absolute = string.Concat(home, "/", Ascii(path));
                return true;
            default:
                return false;
        }
    }

    /// <summary>The home of domain <paramref name="domainId"/>: <c>/local/domain/&lt;domid&gt;</c>.</summary>
    /// <param name="domainId">The domain.</param>
    /// <returns>The path.</returns>
    public static string DomainHome(uint domainId) => LocalDomain + "/" + domainId.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The parent of an absolute path other than the root.</summary>
    /// <param name="path">An absolute path.</param>
    /// <returns>The parent; the root's parent is the root.</returns>
    public static string Parent(string path)
    {
        int slash = path.LastIndexOf('/');
        return slash <= 0 ? Root : path[..slash];
    }

    /// <summary>The last component of an absolute path.</summary>
    /// <param name="path">An absolute path.</param>
    /// <returns>The name after the last slash.</returns>
    public static string Name(string path) => path[(path.LastIndexOf('/') + 1)..];

    /// <summary>Joins a parent and a child name.</summary>
    /// <param name="parent">An absolute path.</param>
    /// <param name="name">A child name.</param>
    /// <returns>The child's path.</returns>
    public static string Child(string parent, string name) => parent == Root ? Root + name : parent + "/" + name;

    /// <summary>Whether <paramref name="child"/> is <paramref name="parent"/> or below it (the xenstore.txt sense of child).</summary>
    /// <param name="child">An absolute path.</param>
    /// <param name="parent">An absolute path.</param>
    /// <returns>True if identical, if the parent is the root, or if <c>parent/</c> starts the child.</returns>
    public static bool IsChildOf(string child, string parent) =>
        parent == Root
        || (child.StartsWith(parent, StringComparison.Ordinal) && (child.Length == parent.Length || child[parent.Length] == '/'));

    private static bool AllLegal(ReadOnlySpan<byte> path)
    {
        foreach (byte b in path)
        {
            bool legal = b is (>= (byte)'a' and <= (byte)'z') or (>= (byte)'A' and <= (byte)'Z') or (>= (byte)'0' and <= (byte)'9')
                or (byte)'-' or (byte)'/' or (byte)'_' or (byte)'@';
            if (!legal) return false;
        }
        return true;
    }

    /// <summary>Decodes bytes already checked to be ASCII.</summary>
    /// <param name="bytes">ASCII bytes.</param>
    /// <returns>The string.</returns>
    internal static string Ascii(ReadOnlySpan<byte> bytes) => System.Text.Encoding.ASCII.GetString(bytes);
}
