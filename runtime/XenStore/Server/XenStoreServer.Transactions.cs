using Xen.XenStore.Protocol;

namespace Xen.XenStore.Server;

public sealed partial class XenStoreServer
{
    private XsError TransactionStart(XsConnection connection, uint transactionId, ref XsMessageWriter reply)
    {
        if (transactionId != 0) return XsError.Ebusy;
        if (!connection.IsPrivileged && connection.Transactions.Count >= Quotas.TransactionsPerDomain) return XsError.Enospc;
        uint id;
        do id = unchecked(++_nextTransactionId);
        while (id == 0 || connection.Transactions.ContainsKey(id));
        connection.Transactions.Add(id, new XsServerTransaction(id, _store.Snapshot()));
        XsTransactionStartMessage.TryEncodeReply(ref reply, id);
        return default;
    }

    /// <summary>
    /// <c>T</c> commits (ENOSPC if the domain would then own more nodes than its quota, EAGAIN if a node it looked
    /// at changed meanwhile), <c>F</c> discards; either way the id is gone.
    /// </summary>
    private XsError TransactionEnd(XsConnection connection, uint transactionId, ReadOnlySpan<byte> payload, ref XsMessageWriter reply)
    {
        if (!XsTransactionEndMessage.TryDecodeRequest(payload, out bool commit, out _)) return XsError.Einval;
        if (!connection.Transactions.TryGetValue(transactionId, out var transaction)) return XsError.Enoent;
        connection.Transactions.Remove(transactionId);
        if (commit)
        {
            // Each write checked the node quota against the transaction's snapshot; others may have added nodes since.
            if (!connection.IsPrivileged && _store.NodeCountAfterCommit(transaction.View, connection.DomainId) > Quotas.NodesPerDomain)
            {
                return XsError.Enospc;
            }
            if (!_store.TryCommit(transaction.View)) return XsError.Eagain;
            _afterReply.AddRange(transaction.Changes);
        }
        return Ok(ref reply);
    }
}
