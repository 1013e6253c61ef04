using Xen.XenStore.Protocol;

namespace Xen.XenStore.Server;

public sealed partial class XenStoreServer
{
    private XsError Watch(ref XsRequest request, ref XsMessageWriter reply)
    {
        var connection = request.Connection;
        if (!XsWatchMessage.TryDecodeRequest(request.Payload, out var path, out var token, out _) || !TryMakeWatch(connection, path, token, out var watch)) return XsError.Einval;
        if (connection.Watches.Exists(w => Same(w, watch))) return XsError.Eexist;
        if (!connection.IsPrivileged && connection.Watches.Count >= Quotas.WatchesPerDomain) return XsError.E2big;
        connection.Watches.Add(watch);
        request.RegisteredWatch = watch;
        return Ok(ref reply);
    }

    private static XsError Unwatch(XsConnection connection, ReadOnlySpan<byte> payload, ref XsMessageWriter reply)
    {
        if (!XsUnwatchMessage.TryDecodeRequest(payload, out var path, out var token, out _) || !TryMakeWatch(connection, path, token, out var watch)) return XsError.Einval;
        int index = connection.Watches.FindIndex(w => Same(w, watch));
        if (index < 0) return XsError.Enoent;
        connection.Watches.RemoveAt(index);
        return Ok(ref reply);
    }

    private static XsError ResetWatches(XsConnection connection, ref XsMessageWriter reply)
    {
        connection.Watches.Clear();
        connection.Transactions.Clear();
        return Ok(ref reply);
    }

    private static bool TryMakeWatch(XsConnection connection, ReadOnlySpan<byte> pathBytes, ReadOnlySpan<byte> token, out XsServerWatch watch)
    {
        watch = null!;
        // As C xenstored, any path starting with '@' is a special watch; only the two it knows ever fire.
        if (!pathBytes.IsEmpty && pathBytes[0] == (byte)'@')
        {
            watch = new XsServerWatch(XsPath.Ascii(pathBytes), token.ToArray(), null);
            return true;
        }
        switch (XsPath.Classify(pathBytes))
        {
            case XsPathKind.Absolute:
            case XsPathKind.Relative:
                if (!XsPath.TryResolve(pathBytes, connection.DomainId, out string path)) return false;
                bool relative = pathBytes[0] != (byte)'/';
                watch = new XsServerWatch(path, token.ToArray(), relative ? XsPath.DomainHome(connection.DomainId) : null);
                return true;
            default:
                return false;
        }
    }

    private static bool Same(XsServerWatch a, XsServerWatch b) => a.Path == b.Path && a.Token.AsSpan().SequenceEqual(b.Token);

    /// <summary>
    /// Sends an event to every watch that matches a change: the changed path is the watched path or below it (or,
    /// for a node removed with an ancestor, the watched path exactly). Guests only see changes to nodes they may
    /// read. Special paths only match special watches.
    /// </summary>
    private void Fire(XsChange change)
    {
        bool special = change.Path.StartsWith('@');
        foreach (var connection in _connections)
        {
            if (connection.Watches.Count == 0) continue;
            if (!connection.IsPrivileged && (AccessOf(connection, change.Permissions) & XsAccess.Read) == 0) continue;
            foreach (var watch in connection.Watches)
            {
                string? eventPath = null;
                if (special || watch.IsSpecial)
                {
                    if (watch.Path == change.Path) eventPath = change.Path;
                }
                else if (change.Exact ? watch.Path == change.Path : XsPath.IsChildOf(change.Path, watch.Path)) eventPath = change.Path;
                if (eventPath is not null) SendEvent(connection, watch, watch.Report(eventPath));
            }
        }
    }

    /// <summary>The events one request fired, per connection: an identical one (not special) is sent once, as C coalesces it whether or not the first was sent yet.</summary>
    private readonly HashSet<(uint Connection, string Path, string Token)> _firedByThisRequest = new();

    private void SendEvent(XsConnection connection, XsServerWatch watch, string path)
    {
        if (!watch.IsSpecial && !_firedByThisRequest.Add((connection.Id, path, System.Text.Encoding.Latin1.GetString(watch.Token)))) return;
        // Sized to the event: a late reader may have thousands queued.
        int length = XsHeader.Size + path.Length + 1 + watch.Token.Length + 1;
        if (length > XsHeader.FrameMax) return; // as C xenstored, an event too long for the protocol is not sent
        var frame = XsMessageBuffer.Rent(length);
        var writer = new XsMessageWriter(frame.Space, XsdSockmsgType.XsWatchEvent, 0, 0);
        if (!XsWatchEventMessage.TryEncode(ref writer, path, watch.Token))
        {
            frame.Dispose();
            return;
        }
        switch (connection.EnqueueEvent(frame.Commit(writer.Finish()), watch.IsSpecial))
        {
            case XsEventFate.Queued:
                connection.SignalOutput();
                break;
            case XsEventFate.OverQuota when connection.DroppedEvents == 1:
                Report($"{connection}: not reading its watch events; over its event memory quota, dropping them");
                break;
        }
    }
}
