using Xen.XenStore.Client;

namespace Xen.GuestAgent.Control;

/// <summary>
/// A watch on <c>control/shutdown</c>, as Linux's xenbus shutdown handler does it in the kernel: a poweroff, reboot
/// or halt request is acknowledged by clearing the key, then <see cref="ShutdownCommand"/> runs. Any other value is
/// reported once and left for whoever handles it (a suspend is the kernel's).
/// </summary>
public sealed class ShutdownWatcher(XenStoreClient client, ShutdownCommand command, Action<string> log) : IAsyncDisposable
{
    private readonly SemaphoreSlim _oneAtATime = new(1, 1);
    private XsWatchSubscription? _watch;
    private string? _lastRefused;

    /// <summary>Completes with each action acted on, for tests and the bench (the latest one).</summary>
    public event Action<string>? Acted;

    /// <summary>Registers the watch; its first event (the registration's) handles a request already waiting.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _watch = await client.WatchAsync(ShutdownRequest.Key, _ => Start(HandleAsync), "xen-guest-agent:shutdown", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Handles a request off the watch's delivery; <see cref="HandleAsync"/> reports its own failures.</summary>
    private static void Start(Func<Task> handler) => _ = handler();

    private async Task HandleAsync()
    {
        await _oneAtATime.WaitAsync().ConfigureAwait(false);
        try
        {
            string request;
            try
            {
                request = await client.ReadStringAsync(ShutdownRequest.Key).ConfigureAwait(false);
            }
            catch (XsNotFoundException)
            {
                return;
            }
            if (request.Length == 0) return;
            if (!ShutdownRequest.IsActedOn(request))
            {
                if (request != _lastRefused) log($"{ShutdownRequest.Key}: \"{request}\" is not acted on by the agent; left as it is");
                _lastRefused = request;
                return;
            }
            await client.WriteAsync(ShutdownRequest.Key, "").ConfigureAwait(false);
            log($"{ShutdownRequest.Key}: {request}: running {command.Command} {request}");
            int status = await command.RunAsync(request, CancellationToken.None).ConfigureAwait(false);
            if (status != 0) log($"{ShutdownRequest.Key}: {command.Command} {request} exited with status {status}");
            Acted?.Invoke(request);
        }
        catch (XsConnectionException)
        {
            // The agent's loop sees the connection end and registers the watch again on the next one.
        }
        catch (XsErrorException e)
        {
            log($"{ShutdownRequest.Key}: {e.Message}");
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            log($"{ShutdownRequest.Key}: cannot run {command.Command}: {e.Message}");
        }
        finally
        {
            _oneAtATime.Release();
        }
    }

    /// <summary>Removes the watch.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_watch is not null) await _watch.DisposeAsync().ConfigureAwait(false);
    }
}
