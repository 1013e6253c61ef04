namespace Xen.XenStore.Tests.Protocol;

/// <summary>The one frame assembler: frames come out whole and in order however the bytes are cut.</summary>
public class FrameAssemblerTests
{
    private static byte[] Frame(XsdSockmsgType type, uint requestId, string payload)
    {
        var buffer = new byte[XsHeader.FrameMax];
        var writer = new XsMessageWriter(buffer, type, requestId, 0);
        writer.AppendBytes(System.Text.Encoding.ASCII.GetBytes(payload));
        return buffer[..writer.Finish()];
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(16)]
    [InlineData(17)]
    [InlineData(5000)]
    public void A_stream_cut_anywhere_gives_every_frame_whole_and_in_order(int piece)
    {
        var stream = Enumerable.Range(1, 5).SelectMany(i => Frame(XsdSockmsgType.XsWrite, (uint)i, new string('x', i * 700) + "\0v")).ToArray();
        using var frames = new XsFrameAssembler();
        var seen = new List<uint>();
        for (int at = 0; at < stream.Length;)
        {
            var space = frames.FreeSpace;
            int count = Math.Min(Math.Min(piece, space.Length), stream.Length - at);
            stream.AsSpan(at, count).CopyTo(space);
            frames.Advance(count);
            at += count;
            while (frames.TryTake(out var header, out var payload, out var frame) == XsFrameStatus.Complete)
            {
                Assert.Equal((int)header.Len, payload.Length);
                Assert.Equal(XsHeader.Size + payload.Length, frame.Length);
                seen.Add(header.ReqId);
            }
        }
        Assert.Equal([1u, 2u, 3u, 4u, 5u], seen);
        Assert.Equal(0, frames.Buffered);
    }

    [Fact]
    public void Missing_space_asks_for_the_header_then_the_payload_and_never_more()
    {
        var two = Frame(XsdSockmsgType.XsRead, 1, "/a\0").Concat(Frame(XsdSockmsgType.XsRead, 2, "/b\0")).ToArray();
        using var frames = new XsFrameAssembler();
        Assert.Equal(XsHeader.Size, frames.MissingSpace.Length);
        two.AsSpan(0, 10).CopyTo(frames.MissingSpace);
        frames.Advance(10);
        Assert.Equal(XsHeader.Size - 10, frames.MissingSpace.Length);
        two.AsSpan(10, 6).CopyTo(frames.MissingSpace);
        frames.Advance(6);
        Assert.Equal(XsFrameStatus.Incomplete, frames.TryTake(out _, out _, out _));
        Assert.Equal(3, frames.MissingSpace.Length);
        two.AsSpan(16, 3).CopyTo(frames.MissingSpace);
        frames.Advance(3);
        Assert.True(frames.MissingSpace.IsEmpty);
        Assert.Equal(XsFrameStatus.Complete, frames.TryTake(out var header, out var payload, out _));
        Assert.Equal(1u, header.ReqId);
        Assert.Equal("/a\0"u8.ToArray(), payload.ToArray());
        Assert.Equal(XsHeader.Size, frames.MissingSpace.Length);
    }

    [Fact]
    public void A_header_announcing_more_than_the_payload_maximum_is_refused_before_its_payload()
    {
        using var frames = new XsFrameAssembler();
        XsHeader.Write(frames.FreeSpace, XsHeader.Create(XsdSockmsgType.XsWrite, 9, 0, XsHeader.PayloadMax + 1));
        frames.Advance(XsHeader.Size);
        Assert.Equal(XsFrameStatus.PayloadTooLong, frames.TryTake(out var header, out _, out _));
        Assert.Equal((uint)XsHeader.PayloadMax + 1, header.Len);
        Assert.True(frames.MissingSpace.IsEmpty);
    }

    [Fact]
    public void Reset_drops_a_partial_message_and_dispose_returns_the_buffer()
    {
        var frames = new XsFrameAssembler();
        Frame(XsdSockmsgType.XsRead, 1, "/a\0").AsSpan(0, 7).CopyTo(frames.FreeSpace);
        frames.Advance(7);
        Assert.Equal(7, frames.Buffered);
        frames.Reset();
        Assert.Equal(0, frames.Buffered);
        frames.Dispose();
        Assert.Throws<ObjectDisposedException>(() => frames.FreeSpace.Length);
        using var other = new XsFrameAssembler();
        Assert.Throws<ArgumentOutOfRangeException>(() => other.Advance(other.FreeSpace.Length + 1));
    }
}
