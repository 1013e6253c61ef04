using System.Net;
using System.Runtime.InteropServices;
using System.Text;

namespace Xen.GuestAgent.Network;

/// <summary>
/// Decodes rtnetlink datagrams with every length checked against what was received: a header or attribute claiming
/// more than is there ends the datagram (reported, never read past), a body shorter than its struct is skipped, an
/// address whose length does not fit its family is ignored. Nothing is trusted from the message but what fits.
/// </summary>
internal static class NetlinkParser
{
    private static readonly int HeaderSize = Marshal.SizeOf<NlMsgHdr>();
    private static readonly int AttributeHeaderSize = Marshal.SizeOf<RtAttr>();

    /// <summary>Appends what <paramref name="datagram"/> says to <paramref name="events"/>.</summary>
    /// <returns>Null, or what was malformed (the rest of the datagram was dropped).</returns>
    public static string? Parse(ReadOnlySpan<byte> datagram, List<NetlinkEvent> events)
    {
        int offset = 0;
        while (datagram.Length - offset >= HeaderSize)
        {
            var header = MemoryMarshal.Read<NlMsgHdr>(datagram[offset..]);
            if (header.Len < HeaderSize || header.Len > datagram.Length - offset)
            {
                return $"netlink message of {header.Len} bytes at offset {offset} of a {datagram.Length}-byte datagram";
            }
            var body = datagram.Slice(offset + HeaderSize, (int)header.Len - HeaderSize);
            Decode(header.Type, body, events);
            offset += Align((int)header.Len, NetlinkAbi.NlmsgAlignTo);
        }
        return offset < datagram.Length ? $"{datagram.Length - offset} trailing bytes after the last netlink message" : null;
    }

    private static void Decode(ushort type, ReadOnlySpan<byte> body, List<NetlinkEvent> events)
    {
        switch (type)
        {
            case NetlinkAbi.RtmNewaddr or NetlinkAbi.RtmDeladdr:
                DecodeAddress(type == NetlinkAbi.RtmNewaddr, body, events);
                break;
            case NetlinkAbi.RtmNewlink or NetlinkAbi.RtmDellink:
                DecodeLink(type == NetlinkAbi.RtmNewlink, body, events);
                break;
            case NetlinkAbi.NlmsgDone:
                events.Add(new NetlinkEvent(NetlinkEventKind.DumpDone, 0));
                break;
            case NetlinkAbi.NlmsgError when body.Length >= Marshal.SizeOf<NlMsgErr>():
                int error = MemoryMarshal.Read<NlMsgErr>(body).Error;
                if (error != 0) events.Add(new NetlinkEvent(NetlinkEventKind.Error, 0, Error: -error));
                break;
        }
    }

    private static void DecodeAddress(bool added, ReadOnlySpan<byte> body, List<NetlinkEvent> events)
    {
        int size = Marshal.SizeOf<IfAddrMsg>();
        if (body.Length < size) return;
        var message = MemoryMarshal.Read<IfAddrMsg>(body);
        int length = message.Family switch
        {
            NetlinkAbi.AfInet => 4,
            NetlinkAbi.AfInet6 => 16,
            _ => 0,
        };
        if (length == 0 || message.Index > int.MaxValue) return;
        ReadOnlySpan<byte> local = default, address = default;
        foreach (var attribute in Attributes(body[Align(size, NetlinkAbi.NlmsgAlignTo)..]))
        {
            if (attribute.Value.Length != length) continue;
            if (attribute.Type == NetlinkAbi.IfaLocal) local = attribute.Value;
            else if (attribute.Type == NetlinkAbi.IfaAddress) address = attribute.Value;
        }
        // On a point-to-point link IFA_ADDRESS is the peer's; IFA_LOCAL is always ours when present.
        var ours = local.IsEmpty ? address : local;
        if (ours.IsEmpty) return;
        events.Add(new NetlinkEvent(added ? NetlinkEventKind.AddressAdded : NetlinkEventKind.AddressRemoved, (int)message.Index, Address: new IPAddress(ours)));
    }

    private static void DecodeLink(bool added, ReadOnlySpan<byte> body, List<NetlinkEvent> events)
    {
        int size = Marshal.SizeOf<IfInfoMsg>();
        if (body.Length < size) return;
        var message = MemoryMarshal.Read<IfInfoMsg>(body);
        if (message.Index <= 0) return;
        string? name = null;
        foreach (var attribute in Attributes(body[Align(size, NetlinkAbi.NlmsgAlignTo)..]))
        {
            if (attribute.Type != NetlinkAbi.IflaIfname) continue;
            var text = attribute.Value[..Math.Min(attribute.Value.Length, NetlinkAbi.Ifnamsiz)];
            int end = text.IndexOf((byte)0);
            name = Encoding.UTF8.GetString(end < 0 ? text : text[..end]);
        }
        events.Add(new NetlinkEvent(added ? NetlinkEventKind.LinkChanged : NetlinkEventKind.LinkRemoved, message.Index, name));
    }

    /// <summary>The (type, value) of each <c>struct rtattr</c> in <paramref name="attributes"/>; stops at the first that does not fit.</summary>
    private static AttributeEnumerator Attributes(ReadOnlySpan<byte> attributes) => new(attributes);

    private static int Align(int length, int to) => (length + to - 1) & ~(to - 1);

    /// <summary>One <c>struct rtattr</c>: its type and the value after its header.</summary>
    internal readonly ref struct RouteAttribute(ushort type, ReadOnlySpan<byte> value)
    {
        public ushort Type { get; } = type;

        public ReadOnlySpan<byte> Value { get; } = value;
    }

    internal ref struct AttributeEnumerator(ReadOnlySpan<byte> attributes)
    {
        private ReadOnlySpan<byte> _rest = attributes;

        public RouteAttribute Current { get; private set; }

        public readonly AttributeEnumerator GetEnumerator() => this;

        public bool MoveNext()
        {
            if (_rest.Length < AttributeHeaderSize) return false;
            var header = MemoryMarshal.Read<RtAttr>(_rest);
            if (header.Len < AttributeHeaderSize || header.Len > _rest.Length) return false;
            Current = new RouteAttribute(header.Type, _rest[AttributeHeaderSize..header.Len]);
            _rest = _rest[Math.Min(_rest.Length, Align(header.Len, NetlinkAbi.RtaAlignTo))..];
            return true;
        }
    }
}
