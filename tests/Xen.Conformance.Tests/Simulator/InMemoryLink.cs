using System.Collections.Concurrent;

namespace Xen.Conformance.Tests.Simulator;

/// <summary>The peer link between two simulated domains in one process.</summary>
public sealed class InMemoryLink : IPeerLink
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource<string>> keys = new();

    public Task PublishAsync(string key, string value, CancellationToken cancel)
    {
        Slot(key).TrySetResult(value);
        return Task.CompletedTask;
    }

    public async Task<string> WaitForAsync(string key, TimeSpan timeout, CancellationToken cancel) =>
        await Slot(key).Task.WaitAsync(timeout, cancel);

    private TaskCompletionSource<string> Slot(string key) =>
        keys.GetOrAdd(key, _ => new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously));
}
