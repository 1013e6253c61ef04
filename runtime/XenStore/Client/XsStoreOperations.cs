using System.Globalization;
using System.Text;
using Xen.XenStore.Protocol;

namespace Xen.XenStore.Client;

/// <summary>
/// The node operations of xs_wire, shared by the client (outside any transaction) and a <see cref="XsTransaction"/>
/// (inside it): read, write, mkdir, rm, directory (with <c>XS_DIRECTORY_PART</c> for long lists), permissions.
/// Paths are absolute or relative to the caller's home, checked against the header's limits before sending.
/// </summary>
public abstract class XsStoreOperations
{
    private const int DirectoryPartRestarts = 8;

    private protected XsStoreOperations()
    {
    }

    private protected abstract XenStoreClient Client { get; }

    private protected abstract uint TransactionId { get; }

    /// <summary><c>XS_READ</c>: the value of a node.</summary>
    /// <param name="path">The node.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>The value's bytes.</returns>
    /// <exception cref="XsNotFoundException">No such node.</exception>
    public async Task<byte[]> ReadAsync(string path, CancellationToken cancellationToken = default)
    {
        var reply = await CallAsync(XsdSockmsgType.XsRead, path, cancellationToken).ConfigureAwait(false);
        return XsReplies.Value(reply);
    }

    /// <summary><c>XS_READ</c>, decoded as UTF-8.</summary>
    /// <param name="path">The node.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>The value.</returns>
    public async Task<string> ReadStringAsync(string path, CancellationToken cancellationToken = default) =>
        Encoding.UTF8.GetString(await ReadAsync(path, cancellationToken).ConfigureAwait(false));

    /// <summary>Whether the node exists (an <c>XS_READ</c> that does not fail with <c>ENOENT</c>).</summary>
    /// <param name="path">The node.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>True when it exists.</returns>
    public async Task<bool> ExistsAsync(string path, CancellationToken cancellationToken = default)
    {
        try
        {
            XsReplies.Value(await CallAsync(XsdSockmsgType.XsRead, path, cancellationToken).ConfigureAwait(false));
            return true;
        }
        catch (XsNotFoundException)
        {
            return false;
        }
    }

    /// <summary><c>XS_WRITE</c>: sets a node's value, creating it and missing parents.</summary>
    /// <param name="path">The node.</param>
    /// <param name="value">The bytes; with the path at most <c>XENSTORE_PAYLOAD_MAX</c>.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>A task completing when the server confirmed.</returns>
    public async Task WriteAsync(string path, ReadOnlyMemory<byte> value, CancellationToken cancellationToken = default)
    {
        XsRequestChecks.NodePath(path, XsdSockmsgType.XsWrite);
        var request = XsRequestFrames.Write(TransactionId, path, value.Span);
        var reply = await Client.CallAsync(request, path, cancellationToken).ConfigureAwait(false);
        XsReplies.Ok(reply, "XS_WRITE " + path);
    }

    /// <summary><c>XS_WRITE</c> of a string, encoded as UTF-8 without a terminator.</summary>
    /// <param name="path">The node.</param>
    /// <param name="value">The value.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>A task completing when the server confirmed.</returns>
    public Task WriteAsync(string path, string value, CancellationToken cancellationToken = default) =>
        WriteAsync(path, Encoding.UTF8.GetBytes(value), cancellationToken);

    /// <summary><c>XS_MKDIR</c>: creates the node (empty) and missing parents; nothing happens if it exists.</summary>
    /// <param name="path">The node.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>A task completing when the server confirmed.</returns>
    public Task MkdirAsync(string path, CancellationToken cancellationToken = default) => OkAsync(XsdSockmsgType.XsMkdir, path, cancellationToken);

    /// <summary><c>XS_RM</c>: removes the node and everything below it.</summary>
    /// <param name="path">The node.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>A task completing when the server confirmed.</returns>
    public Task RmAsync(string path, CancellationToken cancellationToken = default) => OkAsync(XsdSockmsgType.XsRm, path, cancellationToken);

    /// <summary><c>XS_DIRECTORY</c>: the names of a node's children; a list too long for one reply is fetched with <c>XS_DIRECTORY_PART</c>.</summary>
    /// <param name="path">The node.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>The names, in the server's order.</returns>
    public async Task<IReadOnlyList<string>> DirectoryAsync(string path, CancellationToken cancellationToken = default)
    {
        try
        {
            var reply = await CallAsync(XsdSockmsgType.XsDirectory, path, cancellationToken).ConfigureAwait(false);
            return XsReplies.Names(reply, "XS_DIRECTORY " + path);
        }
        catch (XsLimitExceededException e) when (e.Error == XsError.E2big)
        {
            return await DirectoryPartAsync(path, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// <c>XS_DIRECTORY_PART</c>: the children fetched piece by piece from byte offsets into the list; the node's
    /// generation is compared between pieces and the listing restarts if the node changed meanwhile.
    /// </summary>
    /// <param name="path">The node.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>The names.</returns>
    public async Task<IReadOnlyList<string>> DirectoryPartAsync(string path, CancellationToken cancellationToken = default)
    {
        string operation = "XS_DIRECTORY_PART " + path;
        for (int restart = 0; restart < DirectoryPartRestarts; restart++)
        {
            var names = new List<string>();
            string? generation = null;
            int offset = 0;
            while (true)
            {
                XsRequestChecks.NodePath(path, XsdSockmsgType.XsDirectoryPart);
                var request = XsRequestFrames.DirectoryPart(TransactionId, path, checked((uint)offset));
                var reply = await Client.CallAsync(request, path, cancellationToken).ConfigureAwait(false);
                var part = XsReplies.DirectoryPart(reply, operation, out string partGeneration, out bool complete);
                if (generation is not null && partGeneration != generation) break;
                generation = partGeneration;
                if (part.Count == 0 && !complete) throw new XsProtocolException($"{operation}: malformed reply: no names and no end at offset {offset}");
                foreach (string name in part)
                {
                    names.Add(name);
                    offset += Encoding.UTF8.GetByteCount(name) + 1;
                }
                if (complete) return names;
            }
        }
        throw XsErrorExceptions.Create(XsError.Eagain, $"{operation}: the node kept changing while it was listed");
    }

    /// <summary><c>XS_GET_PERMS</c>: a node's permissions.</summary>
    /// <param name="path">The node.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>The permissions; the first entry names the owner.</returns>
    public async Task<XsPermissions> GetPermissionsAsync(string path, CancellationToken cancellationToken = default)
    {
        var reply = await CallAsync(XsdSockmsgType.XsGetPerms, path, cancellationToken).ConfigureAwait(false);
        return XsReplies.Permissions(reply, "XS_GET_PERMS " + path);
    }

    /// <summary><c>XS_SET_PERMS</c>: replaces a node's permissions.</summary>
    /// <param name="path">The node.</param>
    /// <param name="permissions">The new permissions; the first entry names the owner.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>A task completing when the server confirmed.</returns>
    public async Task SetPermissionsAsync(string path, XsPermissions permissions, CancellationToken cancellationToken = default)
    {
        XsRequestChecks.NodePath(path, XsdSockmsgType.XsSetPerms);
        var reply = await Client.CallAsync(XsRequestFrames.SetPerms(TransactionId, path, permissions), path, cancellationToken).ConfigureAwait(false);
        XsReplies.Ok(reply, "XS_SET_PERMS " + path);
    }

    private async Task OkAsync(XsdSockmsgType type, string path, CancellationToken cancellationToken)
    {
        var reply = await CallAsync(type, path, cancellationToken).ConfigureAwait(false);
        XsReplies.Ok(reply, $"{XsWireNames.Of(type)} {path}");
    }

    /// <summary>Sends a request naming only a node, in this transaction.</summary>
    private Task<XsMessageBuffer> CallAsync(XsdSockmsgType type, string path, CancellationToken cancellationToken)
    {
        XsRequestChecks.NodePath(path, type);
        return Client.CallAsync(XsRequestFrames.Path(type, TransactionId, path), path, cancellationToken);
    }
}
