using System.Collections.Immutable;

namespace Xen.XenStore.Server;

/// <summary>
/// The tree as one reader sees it: the live store, or a transaction's view of it. A transaction sees a node as
/// the live tree has it when the transaction first looks at it (as C xenstored's transactions do: not a snapshot
/// of the whole tree at the start), then as it left it; it records the generation of every node it looked at
/// (absent as -1) and the set of paths it changed, for the conflict check and the commit.
/// </summary>
internal sealed class XsStoreView
{
    private readonly Dictionary<string, long>? _observed;
    private readonly HashSet<string>? _modified;
    private readonly XsPathTable? _paths;
    private readonly XsStoreView? _live;
    private readonly Dictionary<string, XsNode?>? _seen;

    /// <param name="nodes">The map to start from.</param>
    /// <param name="nodeCounts">Nodes owned per domain in that map (this view's own copy).</param>
    /// <param name="tracking">Record what is looked at and changed (a transaction).</param>
    /// <param name="paths">The live tree's path table to keep up to date (the live view only).</param>
    /// <param name="live">For a transaction: the live view, read through for nodes the transaction has not looked at yet.</param>
    public XsStoreView(ImmutableDictionary<string, XsNode> nodes, Dictionary<uint, int> nodeCounts, bool tracking, XsPathTable? paths = null, XsStoreView? live = null)
    {
        _paths = paths;
        _live = live;
        if (live is not null) _seen = new Dictionary<string, XsNode?>(StringComparer.Ordinal);
        Nodes = nodes;
        NodeCounts = nodeCounts;
        if (tracking)
        {
            _observed = new Dictionary<string, long>(StringComparer.Ordinal);
            _modified = new HashSet<string>(StringComparer.Ordinal);
        }
    }

    /// <summary>Every node by absolute path.</summary>
    public ImmutableDictionary<string, XsNode> Nodes { get; private set; }

    /// <summary>Nodes owned per domain, for the node quota.</summary>
    public Dictionary<uint, int> NodeCounts { get; }

    /// <summary>Paths looked at and their generation then (transactions only).</summary>
    public IReadOnlyDictionary<string, long> Observed => _observed ?? (IReadOnlyDictionary<string, long>)ImmutableDictionary<string, long>.Empty;

    /// <summary>Paths changed (transactions only).</summary>
    public IReadOnlyCollection<string> Modified => _modified ?? (IReadOnlyCollection<string>)Array.Empty<string>();

    public XsNode? Get(string path)
    {
        if (_live is not null && !_modified!.Contains(path))
        {
            if (_seen!.TryGetValue(path, out var seen)) return seen;
            seen = _live.Nodes.GetValueOrDefault(path);
            _seen[path] = seen;
            _observed!.TryAdd(path, seen?.Generation ?? -1);
            return seen;
        }
        var node = Nodes.GetValueOrDefault(path);
        if (_observed is not null && !_modified!.Contains(path)) _observed.TryAdd(path, node?.Generation ?? -1);
        return node;
    }

    public void Put(string path, XsNode node)
    {
        var old = Get(path);
        if (old is not null) Count(old.Permissions.Owner, -1);
        Count(node.Permissions.Owner, +1);
        if (old is null) _paths?.Add(path);
        Nodes = Nodes.SetItem(path, node);
        _modified?.Add(path);
    }

    public void Delete(string path)
    {
        var old = Get(path);
        if (old is null) return;
        Count(old.Permissions.Owner, -1);
        _paths?.Remove(path);
        Nodes = Nodes.Remove(path);
        _modified?.Add(path);
    }

    public int CountOf(uint domainId) => NodeCounts.GetValueOrDefault(domainId);

    private void Count(uint domainId, int delta)
    {
        int count = NodeCounts.GetValueOrDefault(domainId) + delta;
        if (count == 0) NodeCounts.Remove(domainId);
        else NodeCounts[domainId] = count;
    }
}
