namespace Xen.XenStore.Server;

/// <summary>The context of one node request: who asks, in which view of the tree, on which path, and where its changes go.</summary>
internal readonly record struct XsNodeOperation(XsConnection Connection, XsStoreView View, string Path, List<XsChange> Changes);
