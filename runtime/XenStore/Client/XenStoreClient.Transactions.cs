using Xen.XenStore.Protocol;

namespace Xen.XenStore.Client;

public sealed partial class XenStoreClient
{
    private static readonly TimeSpan s_longestRetryDelay = TimeSpan.FromMilliseconds(100);

    /// <summary><c>XS_TRANSACTION_START</c>: opens a transaction.</summary>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>The transaction; commit or abort it.</returns>
    public Task<XsTransaction> StartTransactionAsync(CancellationToken cancellationToken = default) => StartTransactionAsync(1, cancellationToken);

    /// <summary>
    /// Runs <paramref name="body"/> in a transaction and commits it; when the commit (or an operation) fails with
    /// <c>EAGAIN</c>, runs it again in a new transaction, up to <see cref="XenStoreClientOptions.TransactionAttempts"/>
    /// times with a growing pause. Any other exception aborts the transaction and propagates.
    /// </summary>
    /// <param name="body">The work; it may run several times.</param>
    /// <param name="cancellationToken">Stops waiting and retrying.</param>
    /// <returns>A task completing when a run committed.</returns>
    /// <exception cref="XsTransactionConflictException">Every attempt conflicted.</exception>
    public Task RunTransactionAsync(Func<XsTransaction, Task> body, CancellationToken cancellationToken = default) =>
        RunTransactionAsync(async transaction =>
        {
            await body(transaction).ConfigureAwait(false);
            return true;
        }, cancellationToken);

    /// <summary>As <see cref="RunTransactionAsync(Func{XsTransaction, Task}, CancellationToken)"/>, returning what the committed run returned.</summary>
    /// <typeparam name="T">The result's type.</typeparam>
    /// <param name="body">The work; it may run several times.</param>
    /// <param name="cancellationToken">Stops waiting and retrying.</param>
    /// <returns>The result of the run that committed.</returns>
    public async Task<T> RunTransactionAsync<T>(Func<XsTransaction, Task<T>> body, CancellationToken cancellationToken = default)
    {
        var delay = Options.TransactionRetryDelay;
        for (int attempt = 1; ; attempt++)
        {
            bool last = attempt >= Options.TransactionAttempts;
            var transaction = await StartTransactionAsync(attempt, cancellationToken).ConfigureAwait(false);
            try
            {
                T result = await body(transaction).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return result;
            }
            catch (XsTransactionConflictException) when (!last)
            {
                await AbortQuietlyAsync(transaction).ConfigureAwait(false);
            }
            catch
            {
                await AbortQuietlyAsync(transaction).ConfigureAwait(false);
                throw;
            }
            await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, s_longestRetryDelay.Ticks));
        }
    }

    internal async Task EndTransactionAsync(uint id, bool commit, CancellationToken cancellationToken)
    {
        var request = XsRequestFrames.TransactionEnd(id, commit);
        string context = $"{id} {(commit ? "commit" : "abort")}";
        var reply = await CallAsync(request, context, cancellationToken).ConfigureAwait(false);
        XsReplies.Ok(reply, "XS_TRANSACTION_END " + context);
    }

    private async Task<XsTransaction> StartTransactionAsync(int attempt, CancellationToken cancellationToken)
    {
        var reply = await CallAsync(XsRequestFrames.TransactionStart(), "", cancellationToken).ConfigureAwait(false);
        uint id = XsReplies.TransactionId(reply, "XS_TRANSACTION_START");
        return new XsTransaction(this, id, attempt);
    }

    /// <summary>Ends a transaction that will not be committed; a commit that already ended it (EAGAIN) or a lost connection is fine.</summary>
    private static async Task AbortQuietlyAsync(XsTransaction transaction)
    {
        if (transaction.IsEnded) return;
        try
        {
            await transaction.AbortAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is XsErrorException or XsConnectionException)
        {
        }
    }
}
