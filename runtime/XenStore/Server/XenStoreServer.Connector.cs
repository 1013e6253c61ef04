using Xen.XenStore.Protocol;

namespace Xen.XenStore.Server;

public sealed partial class XenStoreServer
{
    /// <summary>
    /// Runs <see cref="DomainConnector"/> for a domain <c>XS_INTRODUCE</c> recorded, outside the lock (it maps pages,
    /// binds ports and connects to this server, maybe from other threads), then answers the request: <c>OK</c>;
    /// <c>EIO</c>, the domain forgotten and its connection closed, if the connector threw; <c>ENOENT</c> if the
    /// domain was released meanwhile (then the handle is disposed).
    /// </summary>
    private void ConnectDomain(XsConnection connection, in XsdSockmsg header, XsDomain domain)
    {
        IDisposable? handle = null;
        Exception? failure = null;
        try
        {
            handle = DomainConnector!(new XsIntroduction(this, domain.Id, domain.Frame, domain.Port));
        }
        catch (Exception e)
        {
            failure = e;
        }
        IDisposable? orphan = null;
        try
        {
            lock (_lock) AnswerIntroduction(connection, header, domain, handle, failure, out orphan);
        }
        finally
        {
            orphan?.Dispose();
            DisposeReleasedHandles();
        }
    }

    private void AnswerIntroduction(XsConnection connection, in XsdSockmsg header, XsDomain domain, IDisposable? handle, Exception? failure, out IDisposable? orphan)
    {
        orphan = null;
        XsMessageBuffer? reply = XsMessageBuffer.Rent();
        try
        {
            var writer = new XsMessageWriter(reply.Space, XsdSockmsgType.XsIntroduce, header.ReqId, header.TxId);
            bool current = _domains.TryGetValue(domain.Id, out var known) && ReferenceEquals(known, domain);
            XsError error;
            if (failure is not null)
            {
                if (current) ForgetDomain(domain);
                Report($"domain {domain.Id}: the domain connector failed: {failure.Message}");
                error = XsError.Eio;
            }
            else if (!current)
            {
                orphan = handle;
                error = XsError.Enoent;
            }
            else
            {
                error = Introduced(domain, handle, ref writer);
            }
            SendReply(connection, ref reply, ref writer, error, header);
            foreach (var change in _afterReply) Fire(change);
        }
        finally
        {
            reply?.Dispose();
            _afterReply.Clear();
        }
    }

    private void ForgetDomain(XsDomain domain)
    {
        _domains.Remove(domain.Id);
        if (domain.Connection is { } guest) Disconnect(guest);
    }
}
