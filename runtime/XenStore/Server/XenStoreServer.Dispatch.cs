using Xen.XenStore.Protocol;

namespace Xen.XenStore.Server;

public sealed partial class XenStoreServer
{
    private XsError Dispatch(scoped ref XsRequest request, scoped ref XsMessageWriter reply)
    {
        uint type = request.Header.Type;
        // xenstore.txt: a type the server does not support is answered ENOSYS.
        if (!XsMessageTypes.IsKnown(type) || type is (uint)XsdSockmsgType.XsWatchEvent or (uint)XsdSockmsgType.XsError) return XsError.Enosys;
        var payload = request.Payload;
        var connection = request.Connection;
        // As C xenstored: every request but WATCH and UNWATCH names an open transaction or none (ENOENT otherwise).
        if (type is not ((uint)XsdSockmsgType.XsWatch or (uint)XsdSockmsgType.XsUnwatch) && request.Header.TxId != 0
            && !connection.Transactions.ContainsKey(request.Header.TxId))
        {
            return XsError.Enoent;
        }
        switch ((XsdSockmsgType)type)
        {
            case XsdSockmsgType.XsRead:
            case XsdSockmsgType.XsWrite:
            case XsdSockmsgType.XsMkdir:
            case XsdSockmsgType.XsRm:
            case XsdSockmsgType.XsDirectory:
            case XsdSockmsgType.XsDirectoryPart:
            case XsdSockmsgType.XsGetPerms:
            case XsdSockmsgType.XsSetPerms:
                return DispatchNode(ref request, ref reply);
            case XsdSockmsgType.XsWatch:
                return Watch(ref request, ref reply);
            case XsdSockmsgType.XsUnwatch:
                return Unwatch(connection, payload, ref reply);
            case XsdSockmsgType.XsResetWatches:
                return ResetWatches(connection, ref reply);
            case XsdSockmsgType.XsTransactionStart:
                return TransactionStart(connection, request.Header.TxId, ref reply);
            case XsdSockmsgType.XsTransactionEnd:
                return TransactionEnd(connection, request.Header.TxId, payload, ref reply);
            case XsdSockmsgType.XsIntroduce:
                return Introduce(ref request, ref reply);
            case XsdSockmsgType.XsRelease:
                return Release(connection, payload, ref reply);
            case XsdSockmsgType.XsResume:
                return Resume(connection, payload, ref reply);
            case XsdSockmsgType.XsGetDomainPath:
                return GetDomainPath(payload, ref reply);
            case XsdSockmsgType.XsIsDomainIntroduced:
                return IsDomainIntroduced(payload, ref reply);
            case XsdSockmsgType.XsSetTarget:
                return SetTarget(connection, payload, ref reply);
            case XsdSockmsgType.XsControl:
                return Control(connection, payload, ref reply);
            default:
                // XS_WATCH_EVENT and XS_ERROR only travel from the server (refused above).
                return XsError.Enosys;
        }
    }

    private XsError DispatchNode(scoped ref XsRequest request, scoped ref XsMessageWriter reply)
    {
        var connection = request.Connection;
        XsServerTransaction? transaction = null;
        uint transactionId = request.Header.TxId;
        if (transactionId != 0 && !connection.Transactions.TryGetValue(transactionId, out transaction)) return XsError.Enoent;
        var view = transaction?.View ?? _store.Live;
        var changes = transaction?.Changes ?? _afterReply;
        var type = (XsdSockmsgType)request.Header.Type;
        var payload = request.Payload;
        ReadOnlySpan<byte> pathBytes, value = default;
        uint offset = 0;
        XsPermissions? permissions = null;
        bool valid = type switch
        {
            XsdSockmsgType.XsRead => XsReadMessage.TryDecodeRequest(payload, out pathBytes, out _),
            XsdSockmsgType.XsWrite => XsWriteMessage.TryDecodeRequest(payload, out pathBytes, out value, out _),
            XsdSockmsgType.XsMkdir => XsMkdirMessage.TryDecodeRequest(payload, out pathBytes, out _),
            XsdSockmsgType.XsRm => XsRmMessage.TryDecodeRequest(payload, out pathBytes, out _),
            XsdSockmsgType.XsDirectory => XsDirectoryMessage.TryDecodeRequest(payload, out pathBytes, out _),
            XsdSockmsgType.XsDirectoryPart => XsDirectoryPartMessage.TryDecodeRequest(payload, out pathBytes, out offset, out _),
            XsdSockmsgType.XsGetPerms => XsGetPermsMessage.TryDecodeRequest(payload, out pathBytes, out _),
            _ => XsSetPermsMessage.TryDecodeRequest(payload, out pathBytes, out permissions, out _),
        };
        if (!valid) return XsError.Einval;
        if (type is XsdSockmsgType.XsGetPerms or XsdSockmsgType.XsSetPerms && !pathBytes.IsEmpty && pathBytes[0] == (byte)'@')
        {
            var special = new XsNodeOperation(connection, view, XsPath.Ascii(pathBytes), changes);
            return SpecialPermissions(in special, permissions, ref reply);
        }
        if (!_store.Paths.TryResolve(pathBytes, connection.DomainId, out string path)) return XsError.Einval;
        var operation = new XsNodeOperation(connection, view, path, changes);
        return type switch
        {
            XsdSockmsgType.XsRead => Read(in operation, ref reply),
            XsdSockmsgType.XsWrite => Write(in operation, value, ref reply),
            XsdSockmsgType.XsMkdir => Mkdir(in operation, ref reply),
            XsdSockmsgType.XsRm => Rm(in operation, ref reply),
            XsdSockmsgType.XsDirectory => Directory(in operation, ref reply),
            XsdSockmsgType.XsDirectoryPart => DirectoryPart(in operation, offset, ref reply),
            XsdSockmsgType.XsGetPerms => GetPerms(in operation, ref reply),
            _ => SetPerms(in operation, permissions!, ref reply),
        };
    }

    private static XsError Ok(ref XsMessageWriter reply)
    {
        XsOkReply.TryEncode(ref reply);
        return default;
    }
}
