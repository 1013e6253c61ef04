using Xen.XenStore.Protocol;

namespace Xen.XenStore.Server;

public sealed partial class XenStoreServer
{
    /// <summary>What the connection may do with a node: everything for dom0; else the node's entry for its domain, plus its target's.</summary>
    private XsAccess AccessOf(XsConnection connection, XsPermissions permissions)
    {
        if (connection.IsPrivileged) return XsAccess.Both;
        var access = permissions.AccessOf(connection.DomainId);
        if (TargetOf(connection) is uint target) access |= permissions.AccessOf(target);
        return access;
    }

    private uint? TargetOf(XsConnection connection) =>
        _domains.TryGetValue(connection.DomainId, out var domain) ? domain.Target : null;

    private bool IsOwner(XsConnection connection, XsPermissions permissions) =>
        connection.IsPrivileged || permissions.Owner == connection.DomainId || permissions.Owner == TargetOf(connection);

    /// <summary>
    /// Finds a node the connection may access as <paramref name="need"/>. A missing node is ENOENT only if the
    /// caller may read its nearest existing ancestor; otherwise EACCES, so guests cannot probe what they cannot read.
    /// </summary>
    private XsError Lookup(in XsNodeOperation operation, XsAccess need, out XsNode node)
    {
        node = operation.View.Get(operation.Path)!;
        if (node is null) return CanReadNearestAncestor(in operation) ? XsError.Enoent : XsError.Eacces;
        return (AccessOf(operation.Connection, node.Permissions) & need) == need ? default : XsError.Eacces;
    }

    private bool CanReadNearestAncestor(in XsNodeOperation operation)
    {
        if (operation.Connection.IsPrivileged) return true;
        string path = operation.Path;
        XsNode? ancestor;
        do
        {
            path = XsPath.Parent(path);
            ancestor = operation.View.Get(path);
        }
        while (ancestor is null);
        return (AccessOf(operation.Connection, ancestor.Permissions) & XsAccess.Read) != 0;
    }
}
