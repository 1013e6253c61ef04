using System.Runtime.CompilerServices;
using Xen.XenStore.Client.Tests.Support;

namespace Xen.XenStore.Client.Tests.Scenarios;

/// <summary>
/// The client scenario suite: the same cases run against our server over the unix socket
/// (<see cref="SocketClientScenarios"/>) and over a ring page pair (<see cref="RingClientScenarios"/>). Each case
/// works in its own area below the clients' home.
/// </summary>
public abstract partial class ClientScenarios<TFixture>
    where TFixture : class, IStoreFixture
{
    private static int s_area;

    protected ClientScenarios(TFixture store) => Store = store;

    protected TFixture Store { get; }

    /// <summary>A fresh absolute path for one test case.</summary>
    protected string Area([CallerMemberName] string name = "") => $"{Store.Home}/{name}-{Interlocked.Increment(ref s_area)}";

    protected static async Task<T> Within<T>(Task<T> task, int seconds = 10) =>
        await task.WaitAsync(TimeSpan.FromSeconds(seconds));

    protected static async Task<XsWatchEvent> NextEvent(XsWatchSubscription watch, int seconds = 10)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        return await watch.NextAsync(timeout.Token);
    }
}

public sealed class SocketClientScenarios(SocketStoreFixture store) : ClientScenarios<SocketStoreFixture>(store), IClassFixture<SocketStoreFixture>;

public sealed class RingClientScenarios(RingStoreFixture store) : ClientScenarios<RingStoreFixture>(store), IClassFixture<RingStoreFixture>;
