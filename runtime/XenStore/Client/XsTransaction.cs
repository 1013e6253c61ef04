namespace Xen.XenStore.Client;

/// <summary>
/// An open transaction (<c>XS_TRANSACTION_START</c>): the node operations run in it, isolated from other
/// clients until <see cref="CommitAsync"/>, which fails with <see cref="XsTransactionConflictException"/> when a
/// node it looked at changed meanwhile. <see cref="XenStoreClient.RunTransactionAsync(Func{XsTransaction, Task}, CancellationToken)"/>
/// retries such a transaction.
/// </summary>
public sealed class XsTransaction : XsStoreOperations
{
    private readonly XenStoreClient _client;
    private int _ended;

    internal XsTransaction(XenStoreClient client, uint id, int attempt)
    {
        _client = client;
        Id = id;
        Attempt = attempt;
    }

    /// <summary>The transaction id the server gave.</summary>
    public uint Id { get; }

    /// <summary>Which attempt of a retried transaction this is, from 1.</summary>
    public int Attempt { get; }

    /// <summary>Whether it was committed or aborted (successfully or not).</summary>
    public bool IsEnded => Volatile.Read(ref _ended) != 0;

    private protected override XenStoreClient Client => _client;

    private protected override uint TransactionId => Id;

    /// <summary><c>XS_TRANSACTION_END</c> with <c>T</c>: applies the changes.</summary>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>A task completing when committed.</returns>
    /// <exception cref="XsTransactionConflictException">Another change conflicted; nothing was applied.</exception>
    public Task CommitAsync(CancellationToken cancellationToken = default) => EndAsync(true, cancellationToken);

    /// <summary><c>XS_TRANSACTION_END</c> with <c>F</c>: discards the changes.</summary>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>A task completing when discarded.</returns>
    public Task AbortAsync(CancellationToken cancellationToken = default) => EndAsync(false, cancellationToken);

    private Task EndAsync(bool commit, CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _ended, 1) != 0) throw new InvalidOperationException($"transaction {Id} has already ended");
        return _client.EndTransactionAsync(Id, commit, cancellationToken);
    }
}
