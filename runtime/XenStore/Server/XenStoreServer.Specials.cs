using Xen.XenStore.Protocol;

namespace Xen.XenStore.Server;

public sealed partial class XenStoreServer
{
    /// <summary>
    /// <c>GET_PERMS</c>/<c>SET_PERMS</c> on a path starting with <c>@</c>. <c>@introduceDomain</c> and
    /// <c>@releaseDomain</c> are nodes outside the tree (as in C xenstored 4.20): owned by dom0, <c>n0</c> at start,
    /// changed in transactions like any node, and a change fires their watches; an unprivileged connection only
    /// gets their events while it may read them. Any other <c>@</c> path is ENOENT.
    /// </summary>
    private XsError SpecialPermissions(in XsNodeOperation operation, XsPermissions? newPermissions, ref XsMessageWriter reply)
    {
        if (Array.IndexOf(XsStore.SpecialPaths, operation.Path) < 0) return XsError.Enoent;
        return newPermissions is null ? GetPerms(in operation, ref reply) : SetPerms(in operation, newPermissions, ref reply);
    }

    /// <summary>The change that fires the watches of a special path, with the permissions that decide who sees it.</summary>
    private XsChange SpecialChange(string path) => new(path, false, _store.Live.Get(path)!.Permissions);
}
