namespace Xen.Simulator.Tests;

/// <summary>
/// XEN_DOMCTL_getdomaininfo and shared_info's wallclock, as real Xen 4.17 answered the conformance suite
/// (tests/Xen.Conformance): before, every domctl was -ENOSYS and the wallclock read zero.
/// </summary>
public sealed unsafe class DomctlAndWallclockTests
{
    private static long GetDomainInfo(Guest caller, ushort domain, out XenDomctl op, uint version = (uint)Domctl.XenDomctlInterfaceVersion)
    {
        var p = (XenDomctl*)caller.Hv.Memory.Map(caller.ArgumentAddress, (nuint)sizeof(XenDomctl));
        *p = new XenDomctl { Cmd = (uint)Domctl.XenDomctlGetdomaininfo, InterfaceVersion = version, Domain = domain };
        long rc = caller.Hv.Hypercall(XenConst._HypervisorDomctl, caller.ArgumentAddress);
        op = *p;
        return rc;
    }

    [Fact]
    public void Dom0_gets_a_guests_info_with_the_frame_its_shared_info_is_placed_at()
    {
        using var sim = new Simulation();
        var shared = sim.DomU.MapSharedInfo();
        Assert.Equal(0, GetDomainInfo(sim.Dom0, sim.DomU.DomainId, out var op));
        Assert.Equal(sim.DomU.DomainId, op.U.Getdomaininfo.Domain);
        ulong frame = op.U.Getdomaininfo.SharedInfoFrame;
        Assert.Equal((ulong)shared, (ulong)sim.DomU.Hv.Memory.Map(frame << 12, 4096));
    }

    [Fact]
    public void Getdomaininfo_answers_the_next_domain_up_then_esrch_and_checks_the_version_first()
    {
        using var sim = new Simulation();
        Assert.Equal(0, GetDomainInfo(sim.Dom0, 0, out var op));
        Assert.Equal(0, op.U.Getdomaininfo.Domain);
        Assert.Equal(Guest.Err(XenErrno.XenEsrch), GetDomainInfo(sim.Dom0, (ushort)(sim.DomU.DomainId + 1), out _));
        Assert.Equal(Guest.Err(XenErrno.XenEacces), GetDomainInfo(sim.Dom0, 0, out _, (uint)Domctl.XenDomctlInterfaceVersion - 1));
    }

    [Fact]
    public void A_guest_may_not_ask_even_about_itself_but_a_missing_domain_is_esrch_first()
    {
        using var sim = new Simulation();
        Assert.Equal(Guest.Err(XenErrno.XenEperm), GetDomainInfo(sim.DomU, sim.DomU.DomainId, out _));
        Assert.Equal(Guest.Err(XenErrno.XenEperm), GetDomainInfo(sim.DomU, 0, out _));
        Assert.Equal(Guest.Err(XenErrno.XenEsrch), GetDomainInfo(sim.DomU, 0x7fef, out _));
    }

    [Fact]
    public void Shared_info_holds_the_time_of_day_xen_booted_at_with_an_even_version()
    {
        long before = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        using var sim = new Simulation();
        var shared = sim.DomU.MapSharedInfo();
        Assert.Equal(0U, shared->WcVersion % 2);
        long seconds = ((long)shared->WcSecHi << 32) | shared->WcSec;
        Assert.InRange(seconds, before, DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        Assert.InRange(shared->WcNsec, 0U, 999_999_999U);
    }
}
