using Xen.XenStore.Protocol;

namespace Xen.XenStore.Server;

/// <summary>A change that fires watches: a node written, created, removed or given new permissions.</summary>
/// <param name="Path">The absolute path changed.</param>
/// <param name="Exact">Only watches on this very path fire (a node removed with an ancestor, as C xenstored reports it).</param>
/// <param name="Permissions">The node's permissions at the time, which decide who may see the event.</param>
internal readonly record struct XsChange(string Path, bool Exact, XsPermissions Permissions);
