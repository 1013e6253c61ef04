using System.Collections.Immutable;
using Xen.XenStore.Protocol;

namespace Xen.XenStore.Server;

/// <summary>
/// One node of the tree, immutable: a change makes a new node with a new generation, so a transaction's
/// snapshot is just the map it started from.
/// </summary>
/// <param name="Value">The value (arbitrary bytes, usually text).</param>
/// <param name="Permissions">The permissions; the first entry names the owner.</param>
/// <param name="Children">The names of the immediate children, in the order they were created (as C xenstored lists them).</param>
/// <param name="Generation">Unique per version of a node; <c>XS_DIRECTORY_PART</c>'s gencnt and the transaction conflict check.</param>
internal sealed record XsNode(byte[] Value, XsPermissions Permissions, ImmutableList<string> Children, long Generation)
{
    /// <summary>No children.</summary>
    public static ImmutableList<string> NoChildren { get; } = ImmutableList<string>.Empty;
}
