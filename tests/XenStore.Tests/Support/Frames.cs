using System.Text;

namespace Xen.XenStore.Tests.Support;

/// <summary>Building request frames and collecting received ones, shared by the test clients.</summary>
internal static class Frames
{
    /// <summary>A frame whose arguments are strings (sent NUL-terminated) or byte arrays (sent raw).</summary>
    public static byte[] Build(XsdSockmsgType type, uint requestId, uint transactionId, params object[] args)
    {
        var buffer = new byte[XsHeader.FrameMax];
        var writer = new XsMessageWriter(buffer, type, requestId, transactionId);
        foreach (var arg in args)
        {
            bool fits = arg switch
            {
                string s => writer.AppendString(Encoding.ASCII.GetBytes(s)),
                byte[] raw => writer.AppendBytes(raw),
                _ => throw new ArgumentException("arguments are strings (NUL-terminated) or byte[] (raw)"),
            };
            Assert.True(fits, "request does not fit in XENSTORE_PAYLOAD_MAX");
        }
        return buffer[..writer.Finish()];
    }

    /// <summary>The NUL-separated strings of a payload (a trailing NUL ends the last one).</summary>
    public static string[] Strings(byte[] payload)
    {
        var text = Encoding.ASCII.GetString(payload);
        if (text.EndsWith('\0')) text = text[..^1];
        return text.Length == 0 ? [] : text.Split('\0');
    }
}

/// <summary>Bytes received from a stream or a ring, cut into whole frames.</summary>
internal sealed class FrameAccumulator
{
    private readonly List<byte> _received = new();

    public void Add(ReadOnlySpan<byte> bytes) => _received.AddRange(bytes.ToArray());

    /// <summary>Takes the first whole frame, if there is one.</summary>
    public bool TryTake(out XsdSockmsg header, out byte[] payload)
    {
        var status = XsFrame.TryDecode(_received.ToArray(), out header, out var body, out int length);
        Assert.NotEqual(XsFrameStatus.PayloadTooLong, status);
        payload = body.ToArray();
        if (status != XsFrameStatus.Complete) return false;
        _received.RemoveRange(0, length);
        return true;
    }
}
