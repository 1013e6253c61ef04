using System.Collections.Immutable;
using Xen.XenStore.Protocol;

namespace Xen.XenStore.Server;

/// <summary>
/// One node of the tree, immutable: a change makes a new node with a new generation, so a transaction's
/// snapshot is just the map it started from.
/// </summary>
/// <param name="Value">The value (arbitrary bytes, usually text).</param>
/// <param name="Permissions">The permissions; the first entry names the owner.</param>
/// <param name="Children">The names of the immediate children.</param>
/// <param name="Generation">Unique per version of a node; <c>XS_DIRECTORY_PART</c>'s gencnt and the transaction conflict check.</param>
internal sealed record XsNode(byte[] Value, XsPermissions Permissions, ImmutableSortedSet<string> Children, long Generation)
{
    /// <summary>An empty child set ordered by ordinal comparison.</summary>
    public static ImmutableSortedSet<string> NoChildren { get; } = ImmutableSortedSet.Create<string>(StringComparer.Ordinal);
}
