namespace Xen.XenStore.Client;

/// <summary>How a <see cref="XenStoreClient"/> behaves.</summary>
public sealed record XenStoreClientOptions
{
    /// <summary>
    /// Run the continuation of an awaited request on the thread that received its reply, saving a thread switch per
    /// request. Only for callers that never block synchronously on another request from such a continuation
    /// (that would stop the receive thread). Off by default.
    /// </summary>
    public bool InlineCompletions { get; init; }

    /// <summary>How many times <see cref="XenStoreClient.RunTransactionAsync(Func{XsTransaction, Task}, CancellationToken)"/> tries a transaction that keeps failing with <c>EAGAIN</c>.</summary>
    public int TransactionAttempts { get; init; } = 10;

    /// <summary>The pause before the first retry of a conflicted transaction; doubled for each further retry.</summary>
    public TimeSpan TransactionRetryDelay { get; init; } = TimeSpan.FromMilliseconds(1);
}
