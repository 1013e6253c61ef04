using System.Runtime.InteropServices;

namespace Xen.Conformance.Cases;

/// <summary>
/// A guest's shared_info as dom0 sees it (xen.h's <c>struct shared_info</c>): the frame getdomaininfo names, mapped
/// foreign and read afresh for each answer. Only what Xen writes is answered: a port's pending bit, its mask bit
/// once Xen has cleared it, and the wallclock and vCPU 0 time records' version rules (even when stable).
/// </summary>
internal sealed unsafe class SharedInfoReader(IXenDomain xen, ushort domain, ulong frame)
{
    private const int BitsPerWord = 64;

    // A version read odd is an update in progress; Xen's takes microseconds, so a few fresh reads see it end.
    private const int StableReadAttempts = 100;

    /// <summary>The reader of <paramref name="domain"/>'s shared_info, or the answer saying why there is none.</summary>
    internal static (SharedInfoReader? Reader, string Answer) Open(IXenDomain xen, ushort domain, ushort? peer)
    {
        var (rc, op) = DomainInfo.Get(xen, domain);
        if (rc != 0) return (null, Answers.Rc(rc));
        var info = op.U.Getdomaininfo;
        if (info.Domain != domain) return (null, $"0 domain={Answers.Domain(info.Domain, xen.DomainId, peer)}");
        var reader = new SharedInfoReader(xen, domain, info.SharedInfoFrame);
        reader.Read(); // a frame that does not map is this case's answer, not the next one's exception
        return (reader, "0 mapped");
    }

    /// <summary><c>pending=1</c>: the port's bit in evtchn_pending.</summary>
    internal string Pending(uint port)
    {
        var s = Read();
        return $"pending={Bit(s.EvtchnPending, port)}";
    }

    /// <summary><c>pending=1 masked=0</c>: the port's bits in evtchn_pending and evtchn_mask.</summary>
    internal string PendingAndMasked(uint port)
    {
        var s = Read();
        return $"pending={Bit(s.EvtchnPending, port)} masked={Bit(s.EvtchnMask, port)}";
    }

    /// <summary><c>wc_version even wc_sec&gt;0</c>, or the values that break those rules.</summary>
    internal string Wallclock()
    {
        var s = Stable(static s => s.WcVersion);
        bool even = s.WcVersion % 2 == 0, set = s.WcSec > 0 || s.WcSecHi > 0;
        return even && set ? "wc_version even wc_sec>0" : $"wc_version={s.WcVersion} wc_sec={s.WcSec} wc_sec_hi={s.WcSecHi}";
    }

    /// <summary>vCPU 0's vcpu_time_info: <c>version even tsc_to_system_mul&gt;0 system_time&gt;0</c>, or the values.</summary>
    internal string Vcpu0Time()
    {
        var t = Stable(static s => Vcpu0(s).Time.Version);
        var time = Vcpu0(t).Time;
        bool even = time.Version % 2 == 0, scaled = time.TscToSystemMul > 0, running = time.SystemTime > 0;
        return even && scaled && running
            ? "version even tsc_to_system_mul>0 system_time>0"
            : $"version={time.Version} tsc_to_system_mul={time.TscToSystemMul} system_time={time.SystemTime}";
    }

    private static VcpuInfo Vcpu0(SharedInfo s) => *(VcpuInfo*)&s.VcpuInfo;

    private SharedInfo Stable(Func<SharedInfo, uint> version)
    {
        var s = Read();
        for (int i = 1; i < StableReadAttempts && version(s) % 2 != 0; i++) s = Read();
        return s;
    }

    private SharedInfo Read() => MemoryMarshal.Read<SharedInfo>(xen.ReadForeignFrame(domain, frame));

    private static int Bit(ulong* words, uint port) => (int)((words[port / BitsPerWord] >> (int)(port % BitsPerWord)) & 1);
}
