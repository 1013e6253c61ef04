using Xen.Nexus.Platform;

namespace Xen.Nexus.Tests.Support;

/// <summary>
/// The simulator's guest with a ledger: frames allocated and not freed, interrupt handlers installed, so a test
/// can prove a failed attach left nothing behind.
/// </summary>
public sealed unsafe class AccountingHypervisor(IHypervisor inner) : IHypervisor, IGuestMemory
{
    private readonly HashSet<byte> vectors = new();
    private long outstandingFrames;

    public long OutstandingFrames => Interlocked.Read(ref outstandingFrames);

    public IReadOnlyCollection<byte> Vectors { get { lock (vectors) return vectors.ToArray(); } }

    public long Hypercall(uint op, ulong arg1 = 0, ulong arg2 = 0, ulong arg3 = 0, ulong arg4 = 0, ulong arg5 = 0)
        => inner.Hypercall(op, arg1, arg2, arg3, arg4, arg5);

    public CpuidResult Cpuid(uint leaf, uint subleaf = 0) => inner.Cpuid(leaf, subleaf);

    public void WriteMsr(uint msr, ulong value) => inner.WriteMsr(msr, value);

    public uint In(ushort port, PortWidth width) => inner.In(port, width);

    public void Out(ushort port, uint value, PortWidth width) => inner.Out(port, value, width);

    public IGuestMemory Memory => this;

    public int VcpuCount => inner.VcpuCount;

    public int CurrentVcpu => inner.CurrentVcpu;

    public void SetInterruptHandler(byte vector, Action<int> handler)
    {
        inner.SetInterruptHandler(vector, handler);
        lock (vectors) vectors.Add(vector);
    }

    public void ClearInterruptHandler(byte vector)
    {
        inner.ClearInterruptHandler(vector);
        lock (vectors) vectors.Remove(vector);
    }

    public ulong AllocateFrames(int count)
    {
        var gfn = inner.Memory.AllocateFrames(count);
        Interlocked.Add(ref outstandingFrames, count);
        return gfn;
    }

    public void FreeFrames(ulong gfn, int count)
    {
        inner.Memory.FreeFrames(gfn, count);
        Interlocked.Add(ref outstandingFrames, -count);
    }

    public byte* Map(ulong address, nuint length) => inner.Memory.Map(address, length);
}
