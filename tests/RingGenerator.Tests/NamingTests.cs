using Xunit;
using XenGen.RingGenerator;

namespace XenGen.Tests;

/// <summary>The naming rule of generators/RingGenerator/README.md, on the README's own examples.</summary>
public class NamingTests
{
    [Theory]
    [InlineData("blkif_request", "BlkifRequest")]
    [InlineData("req_id", "ReqId")]
    [InlineData("XS_READ", "XsRead")]
    [InlineData("XENSTORE_RING_SIZE", "XenstoreRingSize")]
    [InlineData("__HYPERVISOR_set_trap_table", "_HypervisorSetTrapTable")]
    [InlineData("_NETRXF_data_validated", "_NetrxfDataValidated")]
    [InlineData("NETRXF_data_validated", "NetrxfDataValidated")]
    [InlineData("EVTCHNOP_bind_interdomain", "EvtchnopBindInterdomain")]
    [InlineData("HVM_PARAM_STORE_PFN", "HvmParamStorePfn")]
    [InlineData("x86_64", "X8664")]
    [InlineData("9pfs", "_9pfs")]
    [InlineData("vcpuInfo", "VcpuInfo")]
    public void Pascal(string c, string expected) => Assert.Equal(expected, Naming.Pascal(c));

    [Theory]
    [InlineData("xen_pfn_t", "XenPfn")]
    [InlineData("blkif_sring", "BlkifSring")]
    [InlineData("__guest_handle_uint8", "_GuestHandleUint8")]
    public void TypeNames(string c, string expected) => Assert.Equal(expected, Naming.TypeName(c));

    [Theory]
    [InlineData("io/xs_wire.h", "Root.Io", "XsWire")]
    [InlineData("xen.h", "Root", "Xen")]
    [InlineData("arch-x86/xen-x86_64.h", "Root.ArchX86", "XenX8664")]
    [InlineData("hvm/params.h", "Root.Hvm", "Params")]
    public void Headers(string header, string ns, string cls)
    {
        Assert.Equal(ns, Naming.HeaderNamespace("Root", header));
        Assert.Equal(cls, Naming.HeaderClass(header));
    }

    [Fact]
    public void CollisionsGetANumberInModelOrder()
    {
        var scope = new NameScope("Owner");
        Assert.Equal("Value", scope.Claim("Value"));
        Assert.Equal("Value_2", scope.Claim("Value"));
        Assert.Equal("Value_3", scope.Claim("Value"));
        Assert.Equal("Owner_2", scope.Claim("Owner"));
    }
}
