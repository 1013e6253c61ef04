using Xen.XenStore.Protocol;

namespace Xen.XenStore.Client;

/// <summary>
/// What the client checks before sending, against the limits of <c>io/xs_wire.h</c>, so that a request the
/// server would refuse (or that would not fit one message) fails here with the error the server would give.
/// </summary>
internal static class XsRequestChecks
{
    /// <summary>A node path: absolute (at most <c>XENSTORE_ABS_PATH_MAX</c>) or relative (<c>XENSTORE_REL_PATH_MAX</c>), legal characters.</summary>
    public static void NodePath(string path, XsdSockmsgType type)
    {
        var kind = Classify(path);
        if (kind is not (XsPathKind.Absolute or XsPathKind.Relative)) throw InvalidPath(path, type);
    }

    /// <summary>A watch path: a node path or a special path such as <c>@introduceDomain</c>.</summary>
    public static void WatchPath(string path, XsdSockmsgType type)
    {
        if (Classify(path) == XsPathKind.Invalid) throw InvalidPath(path, type);
    }

    /// <summary>A string argument: no NUL inside (it would end the argument early).</summary>
    public static void Argument(string value, string what, XsdSockmsgType type)
    {
        if (value.Contains('\0')) throw XsErrorExceptions.Create(XsError.Einval, $"{XsWireNames.Of(type)}: {what} contains a NUL");
    }

    /// <summary>A domain id below <c>DOMID_FIRST_RESERVED</c>.</summary>
    public static void Domain(uint domainId, XsdSockmsgType type)
    {
        if (domainId >= XenH.DomidFirstReserved) throw XsErrorExceptions.Create(XsError.Einval, $"{XsWireNames.Of(type)}: domain id {domainId} is reserved");
    }

    private static XsPathKind Classify(string path)
    {
        if (path.Length > XsWire.XenstoreAbsPathMax) return XsPathKind.Invalid;
        Span<byte> ascii = stackalloc byte[path.Length];
        for (int i = 0; i < path.Length; i++)
        {
            if (path[i] > 0x7f) return XsPathKind.Invalid;
            ascii[i] = (byte)path[i];
        }
        return XsPath.Classify(ascii);
    }

    private static XsErrorException InvalidPath(string path, XsdSockmsgType type)
    {
        string shown = path.Length > 80 ? path[..80] + $"... ({path.Length} characters)" : path;
        return XsErrorExceptions.Create(XsError.Einval,
            $"{XsWireNames.Of(type)}: '{shown}' is not a XenStore path (characters A-Za-z0-9-/_@, no empty component, "
            + $"at most {XsWire.XenstoreAbsPathMax} bytes absolute, {XsWire.XenstoreRelPathMax} relative)");
    }
}
