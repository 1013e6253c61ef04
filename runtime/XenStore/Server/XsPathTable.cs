using System.Globalization;
using Xen.XenStore.Protocol;

namespace Xen.XenStore.Server;

/// <summary>
/// The paths of the live tree's nodes, so a request naming an existing node resolves to that node's own string
/// instead of allocating one per request: the path bytes are widened on the stack and looked up by span.
/// </summary>
internal sealed class XsPathTable
{
    private readonly HashSet<string> _paths = new(StringComparer.Ordinal);
    private readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private readonly Dictionary<uint, string> _homes = new();

    public XsPathTable() => _lookup = _paths.GetAlternateLookup<ReadOnlySpan<char>>();

    public void Add(string path) => _paths.Add(path);

    public void Remove(string path) => _paths.Remove(path);

    /// <summary>As <see cref="XsPath.TryResolve"/>, returning the live node's string when the node exists.</summary>
    public bool TryResolve(ReadOnlySpan<byte> path, uint domainId, out string absolute)
    {
        absolute = "";
        var kind = XsPath.Classify(path);
        if (kind is not (XsPathKind.Absolute or XsPathKind.Relative)) return false;
        string prefix = kind == XsPathKind.Relative ? Home(domainId) + "/" : "";
        int length = prefix.Length + path.Length;
        if (length > XsWire.XenstoreAbsPathMax) return false;
        Span<char> chars = stackalloc char[length];
        prefix.CopyTo(chars);
        for (int i = 0; i < path.Length; i++) chars[prefix.Length + i] = (char)path[i];
        absolute = _lookup.TryGetValue(chars, out var existing) ? existing : new string(chars);
        return true;
    }

    private string Home(uint domainId)
    {
        if (!_homes.TryGetValue(domainId, out var home))
        {
            home = XsPath.DomainHome(domainId);
            _homes[domainId] = home;
        }
        return home;
    }
}
