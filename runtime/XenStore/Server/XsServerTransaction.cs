namespace Xen.XenStore.Server;

/// <summary>An open transaction: its id, its view of the tree, and the changes to announce if it commits.</summary>
internal sealed class XsServerTransaction(uint id, XsStoreView view)
{
    public uint Id { get; } = id;

    public XsStoreView View { get; } = view;

    public List<XsChange> Changes { get; } = new();
}
