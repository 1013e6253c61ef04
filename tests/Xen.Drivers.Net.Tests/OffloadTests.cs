using System.Collections.Concurrent;

namespace Xen.Drivers.Net.Tests;

/// <summary>
/// What io/netif.h carries besides a frame's bytes, between xnf and netback on the simulator: checksum blank and
/// data validated (NETTXF_/NETRXF_ flags), TCP segmentation in an extra-info slot (type and MSS), refused when either
/// end did not agree to it; and the backend's <c>mtu</c>, which bounds xnf's frames.
/// </summary>
public sealed class OffloadTests
{
    [Theory]
    [InlineData(GsoKind.TcpV4, 1448)]
    [InlineData(GsoKind.None, 0)]
    [InlineData(GsoKind.TcpV6, 1428)]
    public async Task Checksum_blank_and_segmentation_cross_both_ways_with_the_frame(GsoKind gso, ushort mss)
    {
        using var env = new NetworkOnDom0();
        var (front, back) = await env.ConnectAsync();
        var needed = gso == GsoKind.TcpV6 ? OffloadFeatures.TcpV6Segmentation | OffloadFeatures.ChecksumIPv6 : OffloadFeatures.TcpV4Segmentation;
        Assert.True((front.Accepts & back.Accepts & needed) == needed, $"xnf {front.Accepts}, vif {back.Accepts}");
        var atBack = new BlockingCollection<(byte[], FrameOffload)>();
        var atFront = new BlockingCollection<(byte[], FrameOffload)>();
        back.Received = (f, o) => atBack.Add((f.ToArray(), o));
        front.Received = (f, o) => atFront.Add((f.ToArray(), o));
        var offload = new FrameOffload(ChecksumBlank: true, DataValidated: true, gso, mss);
        for (var i = 0; i < 10; i++)
        {
            var size = gso == GsoKind.None ? 1400 : 20000 + 997 * i;
            var frame = gso == GsoKind.TcpV6 ? Frames.Tcp6ChecksumBlank(size, i) : Frames.Tcp4ChecksumBlank(size, i);
            Assert.True(front.Send(frame, offload));
            Assert.True(atBack.TryTake(out var got, TimeSpan.FromSeconds(10)), "frame did not reach the backend");
            Assert.Equal(frame, got.Item1);
            Assert.Equal(offload, got.Item2);
            Assert.True(back.Send(frame, offload));
            Assert.True(atFront.TryTake(out got, TimeSpan.FromSeconds(10)), "frame did not reach the frontend");
            Assert.Equal(frame, got.Item1);
            Assert.Equal(offload, got.Item2);
        }
    }

    [Fact]
    public async Task Segmentation_is_refused_both_ways_when_xnf_did_not_agree_to_it()
    {
        using var env = new NetworkOnDom0(frontend: new XnfOptions { Segmentation = false });
        var (front, back) = await env.ConnectAsync();
        Assert.Equal(OffloadFeatures.None, front.Accepts & (OffloadFeatures.TcpV4Segmentation | OffloadFeatures.TcpV6Segmentation));
        Assert.Equal(OffloadFeatures.None, back.Accepts & (OffloadFeatures.TcpV4Segmentation | OffloadFeatures.TcpV6Segmentation));
        Assert.Equal("0", await env.Dom0.Store.ReadStringAsync(env.FrontendPath + "/feature-gso-tcpv4"));
        Assert.Equal("0", await env.Dom0.Store.ReadStringAsync(env.FrontendPath + "/feature-gso-tcpv6"));
        Assert.False(front.Send(Frames.Tcp6ChecksumBlank(20000, 3), new FrameOffload(true, true, GsoKind.TcpV6, 1428)));
        var frame = Frames.Tcp4ChecksumBlank(20000, 1);
        var gso = new FrameOffload(true, true, GsoKind.TcpV4, 1448);
        Assert.False(front.Send(frame, gso));
        Assert.False(back.Send(frame, gso));
        // Checksum offload alone still works.
        var small = Frames.Tcp4ChecksumBlank(1000, 2);
        var received = new BlockingCollection<FrameOffload>();
        back.Received = (_, o) => received.Add(o);
        Assert.True(front.Send(small, gso with { Gso = GsoKind.None, GsoSize = 0 }));
        Assert.True(received.TryTake(out var got, TimeSpan.FromSeconds(10)));
        Assert.True(got.ChecksumBlank);
    }

    [Theory]
    [InlineData(1280)]
    [InlineData(1500)]
    public async Task The_backends_mtu_bounds_xnfs_frames(int mtu)
    {
        // Without scatter-gather a frame is one page at most, and the MTU plus an Ethernet header with a VLAN tag.
        using var env = new NetworkOnDom0(new NetbackOptions { Mtu = mtu, Offloads = false });
        var (front, back) = await env.ConnectAsync();
        Assert.Equal(mtu, front.Mtu);
        Assert.Equal(mtu + 18, front.MaxFrameSize);
        var received = new BlockingCollection<byte[]>();
        back.Received = (f, _) => received.Add(f.ToArray());
        var largest = Frames.Udp4(front.MaxFrameSize - 42, 1);
        Assert.True(front.Send(largest, default));
        Assert.True(received.TryTake(out var got, TimeSpan.FromSeconds(10)));
        Assert.Equal(largest, got);
        Assert.False(front.Send(Frames.Udp4(front.MaxFrameSize - 41, 2), default));
    }
}
