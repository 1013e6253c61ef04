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
        return XsReplies.Bytes(reply);
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
            XsReplies.Bytes(await CallAsync(XsdSockmsgType.XsRead, path, cancellationToken).ConfigureAwait(false));
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
            return XsReplies.Strings(reply, "XS_DIRECTORY " + path);
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
                var reply = await CallAsync(XsdSockmsgType.XsDirectoryPart, cancellationToken, path, offset.ToString(CultureInfo.InvariantCulture)).ConfigureAwait(false);
                var part = XsReplies.Strings(reply, operation);
                if (part.Count == 0) throw new XsProtocolException($"{operation}: malformed reply: no generation");
                if (generation is not null && part[0] != generation) break;
                generation = part[0];
                bool complete = part.Count > 1 && part[^1].Length == 0;
                int count = part.Count - 1 - (complete ? 1 : 0);
                if (count == 0 && !complete) throw new XsProtocolException($"{operation}: malformed reply: no names and no end at offset {offset}");
                for (int i = 1; i <= count; i++)
                {
                    names.Add(part[i]);
                    offset += Encoding.UTF8.GetByteCount(part[i]) + 1;
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
        using (reply)
        {
            var args = new XsArgumentReader(reply.Payload);
            if (!XsPermissions.TryRead(ref args, out var permissions)) throw XsReplies.Malformed("XS_GET_PERMS " + path, "is not a permission list", reply.Payload);
            return permissions;
        }
    }

    /// <summary><c>XS_SET_PERMS</c>: replaces a node's permissions.</summary>
    /// <param name="path">The node.</param>
    /// <param name="permissions">The new permissions; the first entry names the owner.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>A task completing when the server confirmed.</returns>
    public async Task SetPermissionsAsync(string path, XsPermissions permissions, CancellationToken cancellationToken = default)
    {
        var arguments = new string[permissions.Entries.Length + 1];
        arguments[0] = path;
        for (int i = 0; i < permissions.Entries.Length; i++) arguments[i + 1] = permissions.Entries[i].ToString();
        var reply = await CallAsync(XsdSockmsgType.XsSetPerms, cancellationToken, arguments).ConfigureAwait(false);
        XsReplies.Ok(reply, "XS_SET_PERMS " + path);
    }

    private async Task OkAsync(XsdSockmsgType type, string path, CancellationToken cancellationToken)
    {
        var reply = await CallAsync(type, path, cancellationToken).ConfigureAwait(false);
        XsReplies.Ok(reply, $"{XsWireNames.Of(type)} {path}");
    }

    private Task<XsMessageBuffer> CallAsync(XsdSockmsgType type, string path, CancellationToken cancellationToken) =>
        CallAsync(type, cancellationToken, path);

    /// <summary>Sends a request on a node whose arguments are the path and then strings, in this transaction.</summary>
    private Task<XsMessageBuffer> CallAsync(XsdSockmsgType type, CancellationToken cancellationToken, params string[] pathAndArguments)
    {
        XsRequestChecks.NodePath(pathAndArguments[0], type);
        var request = XsRequestFrames.Strings(type, TransactionId, pathAndArguments);
        return Client.CallAsync(request, pathAndArguments[0], cancellationToken);
    }
}
