using System.Collections.Immutable;
using Xen.XenStore.Protocol;

namespace Xen.XenStore.Server;

/// <summary>
/// The live tree and its generation counter. Starts as C xenstored's does (docs/misc/xenstore-paths.pandoc): the
/// root and <c>/tool/xenstored</c>, empty and owned by dom0. Transactions take O(1) snapshots of it and commit back only if nothing they looked at changed.
/// </summary>
internal sealed class XsStore
{
    private long _generation;

    public XsStore()
    {
        Live = new XsStoreView(ImmutableDictionary.Create<string, XsNode>(StringComparer.Ordinal), new Dictionary<uint, int>(), tracking: false, Paths);
        Live.Put(XsPath.Root, NewNode(Array.Empty<byte>(), XsPermissions.OwnedBy(0)));
        string path = XsPath.Root;
        foreach (string name in InitialPath.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            string child = XsPath.Child(path, name);
            var parent = Live.Get(path)!;
            Live.Put(path, parent with { Children = parent.Children.Add(name) });
            Live.Put(child, NewNode(Array.Empty<byte>(), XsPermissions.OwnedBy(0)));
            path = child;
        }
        // C xenstored keeps the special paths as nodes outside the tree, for their permissions.
        foreach (string special in SpecialPaths) Live.Put(special, NewNode(Array.Empty<byte>(), XsPermissions.OwnedBy(0)));
    }

    /// <summary>The special paths whose permissions GET_PERMS and SET_PERMS work on (Xen 4.20): nodes in the map, children of nothing.</summary>
    public static readonly string[] SpecialPaths = [XsPath.IntroduceDomain, XsPath.ReleaseDomain];

    /// <summary>The node xenstored creates at start, for its own use (xenstore-paths: <c>/tool/xenstored</c>).</summary>
    public const string InitialPath = "/tool/xenstored";

    /// <summary>The live tree's paths, for resolving request paths without allocating.</summary>
    public XsPathTable Paths { get; } = new();

    /// <summary>The tree outside any transaction.</summary>
    public XsStoreView Live { get; }

    /// <summary>A fresh generation number.</summary>
    public long NextGeneration() => ++_generation;

    /// <summary>A childless node with a fresh generation.</summary>
    public XsNode NewNode(byte[] value, XsPermissions permissions) => new(value, permissions, XsNode.NoChildren, NextGeneration());

    /// <summary>A snapshot of the live tree that records what it reads and writes.</summary>
    public XsStoreView Snapshot() => new(Live.Nodes, new Dictionary<uint, int>(Live.NodeCounts), tracking: true, live: Live);

    /// <summary>How many nodes <paramref name="domainId"/> would own in the live tree once <paramref name="transaction"/> commits.</summary>
    public int NodeCountAfterCommit(XsStoreView transaction, uint domainId)
    {
        int count = Live.CountOf(domainId);
        foreach (string path in transaction.Modified)
        {
            if (Live.Nodes.GetValueOrDefault(path)?.Permissions.Owner == domainId) count--;
            if (transaction.Nodes.GetValueOrDefault(path)?.Permissions.Owner == domainId) count++;
        }
        return count;
    }

    /// <summary>Applies a transaction's changes, unless a node it looked at changed meanwhile.</summary>
    /// <returns>False on conflict (the caller answers EAGAIN); nothing is applied then.</returns>
    public bool TryCommit(XsStoreView transaction)
    {
        foreach (var (path, generation) in transaction.Observed)
        {
            if ((Live.Nodes.GetValueOrDefault(path)?.Generation ?? -1) != generation) return false;
        }
        foreach (string path in transaction.Modified)
        {
            var node = transaction.Nodes.GetValueOrDefault(path);
            if (node is null) Live.Delete(path);
            else Live.Put(path, node);
        }
        return true;
    }
}
