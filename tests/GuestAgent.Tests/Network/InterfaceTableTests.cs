using System.Net;
using Xen.GuestAgent.Network;

namespace Xen.GuestAgent.Tests.Network;

/// <summary>Stable slots: an address keeps its slot while it exists; a resynchronisation moves nothing that stayed.</summary>
public class InterfaceTableTests
{
    private static NetlinkEvent Add(string address) => new(NetlinkEventKind.AddressAdded, 2, Address: IPAddress.Parse(address));

    private static NetlinkEvent Remove(string address) => new(NetlinkEventKind.AddressRemoved, 2, Address: IPAddress.Parse(address));

    private static string[] V4(InterfaceTable table) => table.Snapshot().Single().Ipv4.Select(a => a?.ToString() ?? "-").ToArray();

    [Fact]
    public void RemovedAddressFreesItsSlotAndOthersStay()
    {
        var table = new InterfaceTable();
        Assert.True(table.Apply(new NetlinkEvent(NetlinkEventKind.LinkChanged, 2, "eth0")));
        Assert.True(table.Apply(Add("10.0.0.1")));
        Assert.True(table.Apply(Add("10.0.0.2")));
        Assert.False(table.Apply(Add("10.0.0.2")));
        Assert.True(table.Apply(Remove("10.0.0.1")));
        Assert.Equal(["-", "10.0.0.2", "-", "-", "-", "-", "-", "-", "-", "-"], V4(table));
        Assert.True(table.Apply(Add("10.0.0.3")));
        Assert.Equal("10.0.0.3", V4(table)[0]);
    }

    [Fact]
    public void AtMostTenPerFamily()
    {
        var table = new InterfaceTable();
        table.Apply(new NetlinkEvent(NetlinkEventKind.LinkChanged, 2, "eth0"));
        for (int i = 1; i <= 12; i++) table.Apply(Add($"10.0.0.{i}"));
        Assert.Equal(Enumerable.Range(1, 10).Select(i => $"10.0.0.{i}"), V4(table));
    }

    [Fact]
    public void ReconcileKeepsSlotsOfAddressesStillThere()
    {
        var table = new InterfaceTable();
        table.Apply(new NetlinkEvent(NetlinkEventKind.LinkChanged, 2, "eth0"));
        foreach (string a in new[] { "10.0.0.1", "10.0.0.2", "10.0.0.3" }) table.Apply(Add(a));
        var fresh = new InterfaceTable();
        fresh.Apply(new NetlinkEvent(NetlinkEventKind.LinkChanged, 2, "eth0"));
        foreach (string a in new[] { "10.0.0.4", "10.0.0.3" }) fresh.Apply(Add(a));
        Assert.True(table.Reconcile(fresh));
        Assert.Equal(["10.0.0.4", "-", "10.0.0.3"], V4(table).Take(3));
        Assert.False(table.Reconcile(fresh));
    }

    [Fact]
    public void LinkRemovalTakesItsAddresses()
    {
        var table = new InterfaceTable();
        table.Apply(new NetlinkEvent(NetlinkEventKind.LinkChanged, 2, "eth0"));
        table.Apply(Add("10.0.0.1"));
        Assert.True(table.Apply(new NetlinkEvent(NetlinkEventKind.LinkRemoved, 2)));
        Assert.Empty(table.Snapshot());
    }
}
