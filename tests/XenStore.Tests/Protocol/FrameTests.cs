namespace Xen.XenStore.Tests.Protocol;

public class FrameTests
{
    [Fact]
    public void HeaderIsTheGeneratedStructLaidOutAsInXsWire()
    {
        Assert.Equal(16, XsHeader.Size);
        var bytes = new byte[XsHeader.Size];
        XsHeader.Write(bytes, XsHeader.Create(XsdSockmsgType.XsRead, 0x01020304, 7, 9));
        Assert.Equal(new byte[] { 2, 0, 0, 0, 4, 3, 2, 1, 7, 0, 0, 0, 9, 0, 0, 0 }, bytes);
        var header = XsHeader.Read(bytes);
        Assert.Equal((uint)XsdSockmsgType.XsRead, header.Type);
        Assert.Equal(0x01020304u, header.ReqId);
        Assert.Equal(7u, header.TxId);
        Assert.Equal(9u, header.Len);
    }

    [Fact]
    public void DecodeNeedsTheWholeHeaderThenTheWholePayload()
    {
        var frame = Build(XsdSockmsgType.XsWrite, "/a", "v");
        for (int cut = 0; cut < frame.Length; cut++)
        {
            Assert.Equal(XsFrameStatus.Incomplete, XsFrame.TryDecode(frame.AsSpan(0, cut), out _, out _, out int needed));
            Assert.Equal(cut < XsHeader.Size ? XsHeader.Size : frame.Length, needed);
        }
        Assert.Equal(XsFrameStatus.Complete, XsFrame.TryDecode(frame, out var header, out var payload, out int length));
        Assert.Equal(frame.Length, length);
        Assert.Equal((uint)payload.Length, header.Len);
        Assert.Equal("/a\0v\0"u8.ToArray(), payload.ToArray());
    }

    [Fact]
    public void DecodeStopsAtTheFirstMessage()
    {
        var two = Build(XsdSockmsgType.XsRead, "/x").Concat(Build(XsdSockmsgType.XsRead, "/y")).ToArray();
        Assert.Equal(XsFrameStatus.Complete, XsFrame.TryDecode(two, out _, out var payload, out int length));
        Assert.Equal("/x\0"u8.ToArray(), payload.ToArray());
        Assert.Equal(XsFrameStatus.Complete, XsFrame.TryDecode(two.AsSpan(length), out _, out payload, out _));
        Assert.Equal("/y\0"u8.ToArray(), payload.ToArray());
    }

    [Fact]
    public void LengthOverPayloadMaxIsRefusedFromTheHeaderAlone()
    {
        var header = new byte[XsHeader.Size];
        XsHeader.Write(header, XsHeader.Create(XsdSockmsgType.XsWrite, 1, 0, XsWire.XenstorePayloadMax + 1));
        Assert.Equal(XsFrameStatus.PayloadTooLong, XsFrame.TryDecode(header, out _, out _, out _));
        XsHeader.Write(header, XsHeader.Create(XsdSockmsgType.XsWrite, 1, 0, XsWire.XenstorePayloadMax));
        Assert.Equal(XsFrameStatus.Incomplete, XsFrame.TryDecode(header, out _, out _, out int needed));
        Assert.Equal(XsHeader.FrameMax, needed);
    }

    [Fact]
    public void WriterRefusesToGoPastPayloadMaxAndKeepsWhatFits()
    {
        var buffer = new byte[XsHeader.FrameMax + 100];
        var writer = new XsMessageWriter(buffer, XsdSockmsgType.XsWrite, 1, 0);
        Assert.True(writer.AppendBytes(new byte[XsWire.XenstorePayloadMax - 1]));
        Assert.False(writer.AppendString("ab"));
        Assert.True(writer.AppendString(""u8));
        Assert.False(writer.AppendBytes(new byte[1]));
        Assert.Equal(XsHeader.FrameMax, writer.Finish());
        Assert.Equal((uint)XsWire.XenstorePayloadMax, XsHeader.Read(buffer).Len);
    }

    [Fact]
    public void KnownTypesAreTheEnumsValuesBelowTypeCount()
    {
        Assert.True(XsMessageTypes.IsKnown((uint)XsdSockmsgType.XsDirectoryPart));
        Assert.True(XsMessageTypes.IsKnown((uint)XsdSockmsgType.XsControl));
        Assert.False(XsMessageTypes.IsKnown(20)); // XS_RESTRICT was removed from the header
        Assert.False(XsMessageTypes.IsKnown((uint)XsdSockmsgType.XsTypeCount));
        Assert.False(XsMessageTypes.IsKnown((uint)XsdSockmsgType.XsInvalid));
        Assert.False(XsMessageTypes.IsKnown(uint.MaxValue));
    }

    [Fact]
    public void PooledBufferHoldsOneFrame()
    {
        using var buffer = XsMessageBuffer.Rent();
        Assert.True(buffer.Space.Length >= XsHeader.FrameMax);
        var writer = new XsMessageWriter(buffer.Space, XsdSockmsgType.XsWatchEvent, 0, 0);
        writer.AppendString("/p");
        writer.AppendString("tok");
        buffer.Commit(writer.Finish());
        Assert.Equal((uint)XsdSockmsgType.XsWatchEvent, buffer.Header.Type);
        Assert.Equal("/p\0tok\0"u8.ToArray(), buffer.Payload.ToArray());
        using var copy = XsMessageBuffer.CopyOf(buffer.Span);
        Assert.Equal(buffer.Span.ToArray(), copy.Span.ToArray());
    }

    internal static byte[] Build(XsdSockmsgType type, params string[] args) => Support.Frames.Build(type, 1, 0, args);
}
