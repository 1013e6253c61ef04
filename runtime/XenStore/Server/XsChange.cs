using Xen.XenStore.Protocol;

namespace Xen.XenStore.Server;

/// <summary>A change that fires watches: a node written, created, removed (recursively) or given new permissions.</summary>
/// <param name="Path">The absolute path changed.</param>
/// <param name="Recursive">Whether the whole subtree was removed, so watches below it fire too (with their own path).</param>
/// <param name="Permissions">The node's permissions at the time, which decide who may see the event.</param>
internal readonly record struct XsChange(string Path, bool Recursive, XsPermissions Permissions);
