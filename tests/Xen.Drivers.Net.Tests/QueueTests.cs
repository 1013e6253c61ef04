using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Xen.Drivers.Net.Tests;

/// <summary>
/// Several queues (<c>multi-queue-num-queues</c>) and the event channel layouts io/netif.h allows: one per queue
/// shared by tx and rx (a backend without <c>feature-split-event-channels</c>), or one each. Every queue carries
/// frames both ways, byte for byte, one at a time and in concurrent flows.
/// </summary>
public sealed class QueueTests
{
    private const int Queues = 4;

    // Seven UDP flows (Frames.Udp4 picks the source port from the seed): their ports spread over all four queues.
    private const int Flows = 7;

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Every_queue_carries_frames_both_ways(bool split)
    {
        using var env = new NetworkOnDom0(new NetbackOptions { MaxQueues = Queues, SplitEventChannels = split }, new XnfOptions { MaxQueues = Queues });
        var (front, back) = await env.ConnectAsync();
        Assert.Equal(Queues, front.QueueCount);
        Assert.Equal(Queues, back.QueueCount);
        Assert.Equal(split, front.SplitEventChannels);
        Assert.Equal(split, back.SplitEventChannels);
        await AssertPublishedAsync(env, split);

        var atBack = new BlockingCollection<byte[]>();
        var atFront = new BlockingCollection<byte[]>();
        back.Received = (frame, _) => atBack.Add(frame.ToArray());
        front.Received = (frame, _) => atFront.Add(frame.ToArray());
        for (var i = 0; i < 4 * Flows; i++)
        {
            var frame = Frames.Udp4(1200, i);
            Assert.True(front.Send(frame, default));
            Assert.True(atBack.TryTake(out var got, TimeSpan.FromSeconds(10)), "frame did not reach the backend");
            Assert.Equal(frame, got);
            Assert.True(back.Send(frame, default));
            Assert.True(atFront.TryTake(out got, TimeSpan.FromSeconds(10)), "frame did not reach the frontend");
            Assert.Equal(frame, got);
        }
        var fronts = front.QueueStatistics;
        var backs = back.QueueStatistics;
        for (var q = 0; q < Queues; q++)
        {
            Assert.True(fronts[q].Sent > 0 && fronts[q].Received > 0, $"queue {q} of xnf carried {fronts[q]}");
            // The backend takes a frame on the queue whose ring it came on, and answers the same flow on that queue.
            Assert.Equal(fronts[q].Sent, backs[q].FromGuest);
            Assert.Equal(fronts[q].Received, backs[q].ToGuest);
        }

        // All flows at once, both ways: what arrives is what was sent, as a multiset (queues do not keep order between them).
        const int perFlow = 40;
        var sent = new ConcurrentBag<string>();
        var pumps = Enumerable.Range(0, Flows).SelectMany(flow => new[]
        {
            Task.Run(() => Pump(front, flow, perFlow, sent)),
            Task.Run(() => Pump(back, flow, perFlow, sent)),
        }).ToArray();
        await Task.WhenAll(pumps).WaitAsync(TimeSpan.FromSeconds(60));
        var received = new List<string>();
        for (var i = 0; i < 2 * Flows * perFlow; i++)
        {
            Assert.True(BlockingCollection<byte[]>.TryTakeFromAny([atBack, atFront], out var frame, TimeSpan.FromSeconds(10)) >= 0,
                $"{received.Count} of {2 * Flows * perFlow} frames arrived");
            received.Add(Convert.ToHexString(SHA256.HashData(frame!)));
        }
        Assert.Equal(sent.Order(StringComparer.Ordinal), received.Order(StringComparer.Ordinal));
        Assert.False(front.IsFailed || back.IsFailed, string.Join('\n', env.Lines()));
    }

    private static void Pump(IFramePort port, int flow, int count, ConcurrentBag<string> sent)
    {
        for (var i = 0; i < count; i++)
        {
            var frame = Frames.Udp4(200 + 97 * i % 1300, flow + Flows * (i + 100));
            Assert.True(port.Send(frame, default), $"{port.Name} dropped frame {i} of flow {flow}");
            sent.Add(Convert.ToHexString(SHA256.HashData(frame)));
        }
    }

    /// <summary>What xnf wrote, as netback reads it: the queue count and each queue's directory with its rings and ports.</summary>
    private static async Task AssertPublishedAsync(NetworkOnDom0 env, bool split)
    {
        var store = env.Dom0.Store;
        var device = $"/local/domain/{env.Domain.DomainId}/device/vif/0";
        Assert.Equal(Queues.ToString(), await store.ReadStringAsync($"{device}/multi-queue-num-queues"));
        Assert.False(await store.ExistsAsync($"{device}/tx-ring-ref"), "a multi-queue frontend writes its rings under queue-N only");
        var ports = new HashSet<string>();
        for (var q = 0; q < Queues; q++)
        {
            var keys = await store.DirectoryAsync($"{device}/queue-{q}");
            Assert.Contains("tx-ring-ref", keys);
            Assert.Contains("rx-ring-ref", keys);
            string[] channels = split ? ["event-channel-tx", "event-channel-rx"] : ["event-channel"];
            Assert.Equal(channels.Order(StringComparer.Ordinal), keys.Where(k => k.StartsWith("event-channel", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
            foreach (var channel in channels) Assert.True(ports.Add(await store.ReadStringAsync($"{device}/queue-{q}/{channel}")), "a port published twice");
        }
    }
}
