using Xen.XenStore.Protocol;

namespace Xen.XenStore.Server;

public sealed partial class XenStoreServer
{
    /// <summary>
    /// The permissions of the special paths <c>@introduceDomain</c> and <c>@releaseDomain</c>, which are not nodes:
    /// <c>GET_PERMS</c> and <c>SET_PERMS</c> work on them as on nodes (owned by dom0, <c>n0</c> at start), and
    /// an unprivileged connection only gets their watch events while it may read them (Xen 4.20's rules).
    /// </summary>
    private readonly Dictionary<string, XsPermissions> _specialPermissions = new(StringComparer.Ordinal)
    {
        [XsPath.IntroduceDomain] = XsPermissions.OwnedBy(0),
        [XsPath.ReleaseDomain] = XsPermissions.OwnedBy(0),
    };

    /// <summary><c>GET_PERMS</c>/<c>SET_PERMS</c> on a path starting with <c>@</c>: one of the two special paths, else ENOENT (as C).</summary>
    private XsError SpecialPermissions(XsConnection connection, string path, XsPermissions? newPermissions, ref XsMessageWriter reply)
    {
        if (!_specialPermissions.TryGetValue(path, out var permissions)) return XsError.Enoent;
        if (newPermissions is null)
        {
            if ((AccessOf(connection, permissions) & XsAccess.Read) == 0) return XsError.Eacces;
            return XsGetPermsMessage.TryEncodeReply(ref reply, permissions) ? default : XsError.E2big;
        }
        if ((AccessOf(connection, permissions) & XsAccess.Write) == 0 || !IsOwner(connection, permissions)) return XsError.Eacces;
        if (!connection.IsPrivileged && newPermissions.Owner != permissions.Owner) return XsError.Eperm;
        _specialPermissions[path] = newPermissions;
        return Ok(ref reply);
    }

    /// <summary>The change that fires the watches of a special path, with the permissions that decide who sees it.</summary>
    private XsChange SpecialChange(string path) => new(path, false, _specialPermissions[path]);
}
