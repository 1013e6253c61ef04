using Xen.XenStore.Protocol;

namespace Xen.XenStore.Server;

public sealed partial class XenStoreServer
{
    private XsError Read(in XsNodeOperation operation, ref XsMessageWriter reply)
    {
        var error = Lookup(in operation, XsAccess.Read, out var node);
        if (error.IsError) return error;
        return XsReadMessage.TryEncodeReply(ref reply, node.Value) ? default : XsError.E2big;
    }

    private XsError Write(in XsNodeOperation operation, ReadOnlySpan<byte> value, ref XsMessageWriter reply)
    {
        var connection = operation.Connection;
        if (!connection.IsPrivileged && value.Length > Quotas.MaxValueSize) return XsError.Enospc;
        var node = operation.View.Get(operation.Path);
        if (node is null)
        {
            var created = Create(in operation, value);
            return created.IsError ? created : Ok(ref reply);
        }
        if ((AccessOf(connection, node.Permissions) & XsAccess.Write) == 0) return XsError.Eacces;
        operation.View.Put(operation.Path, node with { Value = value.ToArray(), Generation = _store.NextGeneration() });
        operation.Changes.Add(new XsChange(operation.Path, false, node.Permissions));
        return Ok(ref reply);
    }

    private XsError Mkdir(in XsNodeOperation operation, ref XsMessageWriter reply)
    {
        if (operation.View.Get(operation.Path) is not null) return Ok(ref reply);
        var created = Create(in operation, ReadOnlySpan<byte>.Empty);
        return created.IsError ? created : Ok(ref reply);
    }

    /// <summary>
    /// Creates the node and any missing parents (empty). The caller needs write access to the nearest existing
    /// ancestor; new nodes inherit its permissions, owned by the caller when it is a guest.
    /// </summary>
    private XsError Create(in XsNodeOperation operation, ReadOnlySpan<byte> value)
    {
        var connection = operation.Connection;
        var view = operation.View;
        var missing = new List<string>();
        string parentPath = operation.Path;
        XsNode? parent;
        while ((parent = view.Get(parentPath)) is null)
        {
            missing.Add(parentPath);
            parentPath = XsPath.Parent(parentPath);
        }
        if ((AccessOf(connection, parent.Permissions) & XsAccess.Write) == 0) return XsError.Eacces;
        var permissions = parent.Permissions;
        if (!connection.IsPrivileged)
        {
            if (!IsOwner(connection, permissions)) permissions = permissions.WithOwner(connection.DomainId);
            if (view.CountOf(permissions.Owner) + missing.Count > Quotas.NodesPerDomain) return XsError.Enospc;
            string home = XsPath.DomainHome(connection.DomainId);
            int relativeLength = XsPath.IsChildOf(operation.Path, home) ? operation.Path.Length - home.Length - 1 : operation.Path.Length;
            if (relativeLength > Quotas.MaxRelativePathLength) return XsError.Enospc;
        }
        for (int i = missing.Count - 1; i >= 0; i--)
        {
            string path = missing[i];
            var node = _store.NewNode(i == 0 ? value.ToArray() : Array.Empty<byte>(), permissions);
            view.Put(parentPath, parent with { Children = parent.Children.Add(XsPath.Name(path)), Generation = _store.NextGeneration() });
            view.Put(path, node);
            parentPath = path;
            parent = node;
        }
        operation.Changes.Add(new XsChange(operation.Path, false, permissions));
        return default;
    }

    private XsError Rm(in XsNodeOperation operation, ref XsMessageWriter reply)
    {
        string path = operation.Path;
        if (path == XsPath.Root) return XsError.Einval;
        var view = operation.View;
        var node = view.Get(path);
        string parentPath = XsPath.Parent(path);
        if (node is null)
        {
            // Removing what is not there is fine, as long as its parent is.
            var lookup = operation with { Path = parentPath };
            var error = Lookup(in lookup, XsAccess.Read, out _);
            return error.IsError ? error : Ok(ref reply);
        }
        if ((AccessOf(operation.Connection, node.Permissions) & XsAccess.Write) == 0) return XsError.Eacces;
        DeleteTree(view, path, node, operation.Changes);
        var parent = view.Get(parentPath)!;
        view.Put(parentPath, parent with { Children = parent.Children.Remove(XsPath.Name(path), StringComparer.Ordinal), Generation = _store.NextGeneration() });
        operation.Changes.Add(new XsChange(path, false, node.Permissions));
        return Ok(ref reply);
    }

    /// <summary>Deletes a subtree, children first; each node below the top fires the watches set on it exactly (C's order).</summary>
    private static void DeleteTree(XsStoreView view, string path, XsNode node, List<XsChange> changes)
    {
        foreach (string child in node.Children)
        {
            string childPath = XsPath.Child(path, child);
            if (view.Get(childPath) is not { } childNode) continue;
            DeleteTree(view, childPath, childNode, changes);
            changes.Add(new XsChange(childPath, true, childNode.Permissions));
        }
        view.Delete(path);
    }

    private XsError Directory(in XsNodeOperation operation, ref XsMessageWriter reply)
    {
        var error = Lookup(in operation, XsAccess.Read, out var node);
        if (error.IsError) return error;
        foreach (string child in node.Children)
        {
            // Too long for one reply: the client goes on with XS_DIRECTORY_PART.
            if (!XsDirectoryMessage.TryEncodeReplyName(ref reply, child)) return XsError.E2big;
        }
        return default;
    }

    /// <summary>
    /// The children from a byte offset into the list <c>name\0name\0...</c>, after the node's generation, as C
    /// xenstored answers: an offset inside a name starts with the rest of that name; then as many whole names as
    /// fit, and an empty string once the list is complete (at once for an offset at or past its end).
    /// </summary>
    private XsError DirectoryPart(in XsNodeOperation operation, uint offset, ref XsMessageWriter reply)
    {
        var error = Lookup(in operation, XsAccess.Read, out var node);
        if (error.IsError) return error;
        XsDirectoryPartMessage.TryEncodeReplyGeneration(ref reply, (ulong)node.Generation);
        long position = 0;
        foreach (string child in node.Children)
        {
            long end = position + child.Length + 1;
            if (end > offset)
            {
                int skip = (int)Math.Max(0, offset - position);
                // A name that does not fit (with room kept for the end marker) ends this part.
                if (!XsDirectoryPartMessage.TryEncodeReplyName(ref reply, skip == 0 ? child : child[skip..])) return default;
            }
            position = end;
        }
        XsDirectoryPartMessage.TryEncodeReplyEnd(ref reply);
        return default;
    }

    private XsError GetPerms(in XsNodeOperation operation, ref XsMessageWriter reply)
    {
        var error = Lookup(in operation, XsAccess.Read, out var node);
        if (error.IsError) return error;
        return XsGetPermsMessage.TryEncodeReply(ref reply, node.Permissions) ? default : XsError.E2big;
    }

    private XsError SetPerms(in XsNodeOperation operation, XsPermissions permissions, ref XsMessageWriter reply)
    {
        var connection = operation.Connection;
        var error = Lookup(in operation, XsAccess.Write, out var node);
        if (error.IsError) return error;
        if (!IsOwner(connection, node.Permissions)) return XsError.Eacces;
        if (!connection.IsPrivileged && permissions.Owner != node.Permissions.Owner) return XsError.Eperm;
        operation.View.Put(operation.Path, node with { Permissions = permissions, Generation = _store.NextGeneration() });
        operation.Changes.Add(new XsChange(operation.Path, false, permissions));
        return Ok(ref reply);
    }
}
