using Xen.Conformance.Cases;

namespace Xen.Conformance.Tests;

/// <summary>A port is named by its owner and number: a guest's and dom0's port of the same number are different ports.</summary>
public sealed class PortNamesTests
{
    [Fact]
    public void The_same_number_in_two_domains_keeps_both_roles()
    {
        var names = new PortNames().With(1, 8, "offered").With(0, 8, "local");
        Assert.Equal("offered", names.Of(1, 8));
        Assert.Equal("local", names.Of(0, 8));
        Assert.Equal("other", names.Of(2, 8));
    }

    [Fact]
    public void A_reserved_domain_id_is_refused_by_name()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new PortNames().With((ushort)XenConst.DomidSelf, 8, "unbound"));
        Assert.Equal("domain", e.ParamName);
    }
}
