namespace Xen.XenStore.Client.Tests.Support;

/// <summary>Passes bytes through to another transport and records the message types of the frames in each direction.</summary>
public sealed class RecordingTransport(IXsClientTransport inner) : IXsClientTransport
{
    private readonly List<byte> _received = new();

    public List<XsdSockmsgType> Sent { get; } = new();

    public List<XsdSockmsgType> Received { get; } = new();

    public string Name => inner.Name;

    public uint? DomainId => inner.DomainId;

    public int Receive(Span<byte> buffer)
    {
        int n = inner.Receive(buffer);
        lock (Received)
        {
            _received.AddRange(buffer[..n]);
            while (XsFrame.TryDecode(_received.ToArray(), out var header, out _, out int length) == XsFrameStatus.Complete)
            {
                Received.Add((XsdSockmsgType)header.Type);
                _received.RemoveRange(0, length);
            }
        }
        return n;
    }

    public void Send(ReadOnlySpan<byte> data)
    {
        lock (Sent) Sent.Add((XsdSockmsgType)XsHeader.Read(data).Type);
        inner.Send(data);
    }

    public void Dispose() => inner.Dispose();
}
