using System.Collections.Concurrent;

namespace Xen.Drivers.Net.Tests;

/// <summary>Frames between xnf and netback on the simulator, through the generated rings and grant copies.</summary>
public sealed class FrameTransferTests
{
    [Theory]
    [InlineData(60)]
    [InlineData(1514)]
    [InlineData(9000)]
    [InlineData(65000)]
    public async Task Frames_cross_both_ways_byte_for_byte(int size)
    {
        using var env = new NetworkOnDom0();
        var (front, back) = await env.ConnectAsync();
        var atBack = new BlockingCollection<byte[]>();
        var atFront = new BlockingCollection<byte[]>();
        back.Received = (frame, _) => atBack.Add(frame.ToArray());
        front.Received = (frame, _) => atFront.Add(frame.ToArray());
        for (var i = 0; i < 20; i++)
        {
            var frame = Frames.Udp4(size - 42, i);
            Assert.True(front.Send(frame, default));
            Assert.True(atBack.TryTake(out var got, TimeSpan.FromSeconds(5)), "frame did not reach the backend");
            Assert.Equal(frame, got);
            Assert.True(back.Send(frame, default));
            Assert.True(atFront.TryTake(out got, TimeSpan.FromSeconds(5)), "frame did not reach the frontend");
            Assert.Equal(frame, got);
        }
    }
}
