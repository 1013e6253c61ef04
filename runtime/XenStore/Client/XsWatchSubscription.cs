using System.Runtime.ExceptionServices;
using System.Threading.Channels;
using Xen.XenStore.Protocol;

namespace Xen.XenStore.Client;

/// <summary>
/// A registered watch: its events in arrival order as an async stream (or handed to a callback), starting with
/// the event the server fires on registration. <see cref="DisposeAsync"/> removes the watch (<c>XS_UNWATCH</c>)
/// and ends the stream; a lost connection ends it with the connection's exception. A ring reconnection
/// (<see cref="XenStoreClient.ReconnectAsync"/>) registers it again and it goes on.
/// </summary>
public sealed class XsWatchSubscription : IAsyncEnumerable<XsWatchEvent>, IAsyncDisposable
{
    private readonly XenStoreClient _client;
    private readonly Channel<XsWatchEvent> _events = Channel.CreateUnbounded<XsWatchEvent>(new UnboundedChannelOptions { SingleWriter = true });
    private int _removed;

    internal XsWatchSubscription(XenStoreClient client, string path, string token)
    {
        _client = client;
        Path = path;
        Token = token;
    }

    /// <summary>The path watched, as given.</summary>
    public string Path { get; }

    /// <summary>The token events carry.</summary>
    public string Token { get; }

    /// <summary>The events not read yet.</summary>
    public ChannelReader<XsWatchEvent> Events => _events.Reader;

    /// <summary>Completes when the stream ended (removed, or the connection lost, then faulted with its exception).</summary>
    public Task Completion => _events.Reader.Completion;

    /// <summary>The next event.</summary>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>The event.</returns>
    /// <exception cref="XsConnectionException">The connection was lost.</exception>
    /// <exception cref="XsErrorException">After a ring reconnection, the server refused to register the watch again.</exception>
    /// <exception cref="ChannelClosedException">The watch was removed.</exception>
    public async ValueTask<XsWatchEvent> NextAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            return await _events.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException e) when (e.InnerException is XsConnectionException lost)
        {
            throw new XsConnectionException(lost.Message, lost);
        }
        catch (ChannelClosedException e) when (e.InnerException is XsErrorException refused)
        {
            ExceptionDispatchInfo.Capture(refused).Throw();
            throw;
        }
    }

    /// <inheritdoc />
    public IAsyncEnumerator<XsWatchEvent> GetAsyncEnumerator(CancellationToken cancellationToken = default) =>
        _events.Reader.ReadAllAsync(cancellationToken).GetAsyncEnumerator(cancellationToken);

    /// <summary>Removes the watch from the server (<c>XS_UNWATCH</c>) and ends the stream; events already received stay readable.</summary>
    /// <returns>A task completing when the server confirmed.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _removed, 1) == 1) return;
        try
        {
            await _client.UnwatchAsync(this).ConfigureAwait(false);
        }
        catch (Exception e) when (e is XsConnectionException or XsNotFoundException)
        {
            // The connection is gone, or the server already forgot the watch: it is gone either way.
        }
        Complete(null);
    }

    /// <summary>Whether an event for <paramref name="path"/> belongs to this watch (several watches may share a token).</summary>
    internal bool Matches(string path) =>
        Path.StartsWith('@') ? path == Path : XsPath.IsChildOf(path, Path) || XsPath.IsChildOf(Path, path);

    /// <summary>Whether <see cref="DisposeAsync"/> has begun removing the watch.</summary>
    internal bool IsRemoving => Volatile.Read(ref _removed) == 1;

    internal void Post(XsWatchEvent watchEvent) => _events.Writer.TryWrite(watchEvent);

    internal void Complete(Exception? error) => _events.Writer.TryComplete(error);
}
