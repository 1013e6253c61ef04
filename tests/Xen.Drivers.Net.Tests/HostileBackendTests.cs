using System.Collections.Concurrent;
using Xen.Drivers.Disk.Tests;
using Xen.Nexus.Platform;

namespace Xen.Drivers.Net.Tests;

/// <summary>
/// Netback's hostile modes against xnf: each violation puts the interface into its error state with one log line,
/// later sends fail, nothing crashes; a storm of empty notifications changes nothing; a backend without rx-copy is
/// refused.
/// </summary>
public sealed class HostileBackendTests
{
    [Theory]
    // Netback lies about ids on both rings: whichever response xnf reads first is the one it names.
    [InlineData(HostileMode.LyingIds, "(not in flight|rx response id [0-9]+ in slot)")]
    [InlineData(HostileMode.ProducerOverflow, "more than the ring's 256 entries")]
    [InlineData(HostileMode.GrantAbuse, "beyond its page")]
    public async Task A_lying_backend_puts_xnf_into_its_error_state_once(HostileMode mode, string reason)
    {
        using var env = new NetworkOnDom0(new NetbackOptions { Hostile = mode });
        var before = new GuardPages(env.Domain, 8);
        var (front, back) = await env.ConnectAsync();
        var after = new GuardPages(env.Domain, 8);
        var delivered = 0;
        front.Received = (_, _) => Interlocked.Increment(ref delivered);
        // Both directions: tx responses (ids, producer) and rx responses (slots, offsets, producer).
        var frame = Frames.Udp4(1000, 1);
        for (var i = 0; i < 10 && !front.IsFailed; i++)
        {
            front.Send(frame, default);
            back.Send(frame, default);
            await Task.Delay(20);
        }
        var until = DateTime.UtcNow.AddSeconds(30);
        while (!front.IsFailed && DateTime.UtcNow < until) await Task.Delay(10);
        Assert.True(front.IsFailed, string.Join('\n', env.Lines()));
        var errors = env.Lines().Where(l => l.StartsWith("xnf0: backend error: ", StringComparison.Ordinal)).ToArray();
        Assert.Single(errors);
        Assert.Matches(reason, errors[0]);
        Assert.False(front.Send(frame, default));
        Assert.DoesNotContain(env.Lines(), l => l.Contains("hostile: wrote into tx grant", StringComparison.Ordinal));
        if (mode == HostileMode.GrantAbuse) Assert.Equal(0, delivered);
        // Frames the guest owns on both sides of xnf's rings and buffers: nothing of the lie reached them.
        Assert.True(before.Untouched() && after.Untouched(), "a guard page changed");
        // The toolstack is told too, in the device's error node (errno and message, as xenbus_dev_error writes it).
        var node = await env.WaitForStoreValueAsync(env.ErrorNode);
        Assert.StartsWith("5 backend error: ", node);
        Assert.Matches(reason, node);
    }

    [Fact]
    public async Task An_event_storm_leaves_both_directions_working()
    {
        using var env = new NetworkOnDom0(new NetbackOptions { Hostile = HostileMode.EventStorm });
        var before = new GuardPages(env.Domain, 8);
        var (front, back) = await env.ConnectAsync();
        var after = new GuardPages(env.Domain, 8);
        var atBack = new BlockingCollection<byte[]>();
        var atFront = new BlockingCollection<byte[]>();
        back.Received = (f, _) => atBack.Add(f.ToArray());
        front.Received = (f, _) => atFront.Add(f.ToArray());
        for (var i = 0; i < 50; i++)
        {
            var frame = Frames.Udp4(1400, i);
            Assert.True(front.Send(frame, default));
            Assert.True(back.Send(frame, default));
            Assert.True(atBack.TryTake(out var a, TimeSpan.FromSeconds(5)));
            Assert.True(atFront.TryTake(out var b, TimeSpan.FromSeconds(5)));
            Assert.Equal(frame, a);
            Assert.Equal(frame, b);
        }
        await env.WaitForLineAsync("notifications sent on each port", 30);
        Assert.False(front.IsFailed);
        Assert.True(before.Untouched() && after.Untouched(), "a guard page changed");
    }

    [Fact]
    public async Task A_backend_without_rx_copy_is_refused_with_an_error_node_and_the_device_closed()
    {
        using var env = new NetworkOnDom0(new NetbackOptions { RxCopy = false });
        await env.Dom0.Toolstack.AddDeviceAsync(env.Domain.DomainId, NetworkOnDom0.Nic());
        var line = await env.WaitForLineAsync("xnf0: set-up: ");
        Assert.Contains("feature-rx-copy", line);
        var node = await env.WaitForStoreValueAsync(env.ErrorNode);
        Assert.StartsWith("5 set-up: ", node);
        Assert.Contains("feature-rx-copy", node);
        // xenbus_dev_fatal closes the device: both ends end up Closed, nothing is left half set up.
        await env.WaitForStoreValueAsync(env.FrontendPath + "/state", "6");
        await env.WaitForStoreValueAsync(env.BackendPath + "/state", "6");
        Assert.Empty(env.Xnf.Interfaces);
        Assert.Null(env.Dom0.Network.Devices.SingleOrDefault()?.Vif);
    }

    [Theory]
    [InlineData("00:16:3e:zz:00:00")]
    [InlineData("00:16:3e:00:00")]
    [InlineData("")]
    public async Task A_malformed_mac_is_refused_with_an_error_node_naming_it(string mac)
    {
        using var env = new NetworkOnDom0();
        await env.Dom0.Toolstack.AddDeviceAsync(env.Domain.DomainId, DeviceSpec.Nic(0, $"mac={mac}", 1));
        var line = await env.WaitForLineAsync("xnf0: set-up: ");
        Assert.Contains($"mac \"{mac}\" is not an Ethernet address", line);
        var node = await env.WaitForStoreValueAsync(env.ErrorNode);
        Assert.StartsWith("5 set-up: ", node);
        await env.WaitForStoreValueAsync(env.FrontendPath + "/state", "6");
        Assert.Empty(env.Xnf.Interfaces);
    }

    [Fact]
    public async Task An_honest_backend_leaves_no_error_node()
    {
        using var env = new NetworkOnDom0();
        var (front, back) = await env.ConnectAsync();
        var frame = Frames.Udp4(500, 2);
        Assert.True(front.Send(frame, default));
        Assert.True(back.Send(frame, default));
        Assert.False(await env.Dom0.Store.ExistsAsync(env.ErrorNode));
    }

    [Fact]
    public void Guard_pages_see_a_single_changed_byte()
    {
        using var env = new NetworkOnDom0();
        var guard = new GuardPages(env.Domain, 2);
        Assert.True(guard.Untouched());
        guard.Poke(XenPage.Size + 1234);
        Assert.False(guard.Untouched());
    }
}
