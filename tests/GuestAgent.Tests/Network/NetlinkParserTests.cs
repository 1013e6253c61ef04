using System.Net;
using System.Runtime.InteropServices;
using Xen.GuestAgent.Network;

namespace Xen.GuestAgent.Tests.Network;

/// <summary>The parser on datagrams a hostile or broken sender could make: nothing is read past what arrived.</summary>
public class NetlinkParserTests
{
    private static byte[] Message(ushort type, byte[] body)
    {
        int length = Marshal.SizeOf<NlMsgHdr>() + body.Length;
        var bytes = new byte[(length + 3) & ~3];
        MemoryMarshal.Write(bytes, new NlMsgHdr { Len = (uint)length, Type = type });
        body.CopyTo(bytes, Marshal.SizeOf<NlMsgHdr>());
        return bytes;
    }

    private static byte[] Attribute(ushort type, byte[] value)
    {
        var bytes = new byte[(4 + value.Length + 3) & ~3];
        MemoryMarshal.Write(bytes, new RtAttr { Len = (ushort)(4 + value.Length), Type = type });
        value.CopyTo(bytes, 4);
        return bytes;
    }

    private static byte[] AddressBody(byte family, uint index, params byte[][] attributes)
    {
        var head = new byte[Marshal.SizeOf<IfAddrMsg>()];
        MemoryMarshal.Write(head, new IfAddrMsg { Family = family, PrefixLen = 24, Index = index });
        return [.. head, .. attributes.SelectMany(a => a)];
    }

    private static byte[] LinkBody(int index, string name)
    {
        var head = new byte[Marshal.SizeOf<IfInfoMsg>()];
        MemoryMarshal.Write(head, new IfInfoMsg { Index = index });
        return [.. head, .. Attribute(NetlinkAbi.IflaIfname, [.. System.Text.Encoding.ASCII.GetBytes(name), 0])];
    }

    private static (List<NetlinkEvent> Events, string? Problem) Parse(byte[] datagram)
    {
        var events = new List<NetlinkEvent>();
        string? problem = NetlinkParser.Parse(datagram, events);
        return (events, problem);
    }

    [Fact]
    public void DecodesLinksAndAddressesOfBothFamiliesPreferringIfaLocal()
    {
        byte[] peer = IPAddress.Parse("10.0.0.1").GetAddressBytes(), local = IPAddress.Parse("10.0.0.2").GetAddressBytes();
        byte[] datagram =
        [
            .. Message(NetlinkAbi.RtmNewlink, LinkBody(3, "eth0")),
            .. Message(NetlinkAbi.RtmNewaddr, AddressBody(NetlinkAbi.AfInet, 3, Attribute(NetlinkAbi.IfaAddress, peer), Attribute(NetlinkAbi.IfaLocal, local))),
            .. Message(NetlinkAbi.RtmDeladdr, AddressBody(NetlinkAbi.AfInet6, 3, Attribute(NetlinkAbi.IfaAddress, IPAddress.Parse("2001:db8::1").GetAddressBytes()))),
            .. Message(NetlinkAbi.NlmsgDone, new byte[4]),
        ];
        var (events, problem) = Parse(datagram);
        Assert.Null(problem);
        Assert.Equal(
            [
                new NetlinkEvent(NetlinkEventKind.LinkChanged, 3, "eth0"),
                new NetlinkEvent(NetlinkEventKind.AddressAdded, 3, Address: IPAddress.Parse("10.0.0.2")),
                new NetlinkEvent(NetlinkEventKind.AddressRemoved, 3, Address: IPAddress.Parse("2001:db8::1")),
                new NetlinkEvent(NetlinkEventKind.DumpDone, 0),
            ],
            events);
    }

    [Fact]
    public void AHeaderClaimingMoreThanArrivedEndsTheDatagram()
    {
        byte[] good = Message(NetlinkAbi.RtmNewlink, LinkBody(3, "eth0"));
        byte[] lying = Message(NetlinkAbi.RtmNewlink, LinkBody(4, "eth1"));
        MemoryMarshal.Write(lying, new NlMsgHdr { Len = 4096, Type = NetlinkAbi.RtmNewlink });
        var (events, problem) = Parse([.. good, .. lying]);
        Assert.Single(events);
        Assert.Contains("4096 bytes", problem);
    }

    [Fact]
    public void AHeaderShorterThanItselfEndsTheDatagram()
    {
        byte[] zero = Message(NetlinkAbi.RtmNewlink, LinkBody(3, "eth0"));
        MemoryMarshal.Write(zero, new NlMsgHdr { Len = 0, Type = NetlinkAbi.RtmNewlink });
        var (events, problem) = Parse(zero);
        Assert.Empty(events);
        Assert.NotNull(problem);
    }

    [Fact]
    public void TrailingBytesAreReported()
    {
        var (events, problem) = Parse([.. Message(NetlinkAbi.RtmNewlink, LinkBody(3, "eth0")), 1, 2, 3]);
        Assert.Single(events);
        Assert.Contains("3 trailing bytes", problem);
    }

    [Fact]
    public void AnAttributeOverrunningItsMessageIsNotRead()
    {
        byte[] attribute = Attribute(NetlinkAbi.IfaAddress, IPAddress.Parse("10.0.0.2").GetAddressBytes());
        MemoryMarshal.Write(attribute, new RtAttr { Len = 200, Type = NetlinkAbi.IfaAddress });
        var (events, problem) = Parse(Message(NetlinkAbi.RtmNewaddr, AddressBody(NetlinkAbi.AfInet, 3, attribute)));
        Assert.Null(problem);
        Assert.Empty(events);
    }

    [Theory]
    [InlineData(NetlinkAbi.AfInet, 16)]
    [InlineData(NetlinkAbi.AfInet6, 4)]
    [InlineData(NetlinkAbi.AfUnspec, 4)]
    public void AnAddressWhoseLengthDoesNotFitItsFamilyIsIgnored(byte family, int length)
    {
        var (events, _) = Parse(Message(NetlinkAbi.RtmNewaddr, AddressBody(family, 3, Attribute(NetlinkAbi.IfaAddress, new byte[length]))));
        Assert.Empty(events);
    }

    [Fact]
    public void ABodyShorterThanItsStructIsSkipped()
    {
        var (events, problem) = Parse(Message(NetlinkAbi.RtmNewaddr, new byte[3]));
        Assert.Null(problem);
        Assert.Empty(events);
    }

    [Fact]
    public void AnInterfaceNameWithoutTerminatorIsCutAtIfnamsiz()
    {
        var head = new byte[Marshal.SizeOf<IfInfoMsg>()];
        MemoryMarshal.Write(head, new IfInfoMsg { Index = 5 });
        var (events, _) = Parse(Message(NetlinkAbi.RtmNewlink, [.. head, .. Attribute(NetlinkAbi.IflaIfname, Enumerable.Repeat((byte)'x', 40).ToArray())]));
        Assert.Equal(new string('x', NetlinkAbi.Ifnamsiz), Assert.Single(events).Name);
    }

    [Fact]
    public void RandomBytesNeverThrow()
    {
        var random = new Random(13);
        var events = new List<NetlinkEvent>();
        byte[] seed = [.. Message(NetlinkAbi.RtmNewlink, LinkBody(3, "eth0")), .. Message(NetlinkAbi.RtmNewaddr, AddressBody(NetlinkAbi.AfInet, 3, Attribute(NetlinkAbi.IfaLocal, [10, 0, 0, 2])))];
        for (int round = 0; round < 20000; round++)
        {
            byte[] datagram = (byte[])seed.Clone();
            for (int flips = random.Next(1, 6); flips > 0; flips--) datagram[random.Next(datagram.Length)] = (byte)random.Next(256);
            events.Clear();
            NetlinkParser.Parse(datagram.AsSpan(0, random.Next(datagram.Length + 1)), events);
        }
    }
}
