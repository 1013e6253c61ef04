namespace Xen.XenStore.Client;

/// <summary>An <c>XS_WATCH_EVENT</c>: a node at or below a watched path changed (or the watch was just registered).</summary>
/// <param name="Path">The path that changed, relative when the watch was registered with a relative path.</param>
/// <param name="Token">The token the watch was registered with.</param>
public readonly record struct XsWatchEvent(string Path, string Token);
