using Xen.Nexus.Hypercalls;
using Xen.Nexus.Platform;

namespace Xen.Simulator.Dom0.Tests;

/// <summary>The simulator's guest, recording each hypercall as the <see cref="XenOperations"/> entry it is.</summary>
public sealed class RecordingHypervisor(IHypervisor inner) : IHypervisor
{
    private static readonly XenOperation[] Known = typeof(XenOperations).GetFields()
        .Where(f => f.FieldType == typeof(XenOperation)).Select(f => (XenOperation)f.GetValue(null)!).ToArray();

    private readonly List<XenOperation> calls = new();

    /// <summary>The calls so far, in order; one the nexus does not name is a test failure.</summary>
    public XenOperation[] Calls { get { lock (calls) return calls.ToArray(); } }

    public long Hypercall(uint op, ulong arg1 = 0, ulong arg2 = 0, ulong arg3 = 0, ulong arg4 = 0, ulong arg5 = 0)
    {
        // Every hypercall the nexus makes has its sub-operation first.
        var known = Known.Where(k => k.Hypercall == op && (ulong)(uint)k.Command == arg1).ToArray();
        Assert.True(known.Length == 1, $"hypercall {op} command {arg1}: not one XenOperations entry");
        lock (calls) calls.Add(known[0]);
        return inner.Hypercall(op, arg1, arg2, arg3, arg4, arg5);
    }

    public CpuidResult Cpuid(uint leaf, uint subleaf = 0) => inner.Cpuid(leaf, subleaf);

    public void WriteMsr(uint msr, ulong value) => inner.WriteMsr(msr, value);

    public uint In(ushort port, PortWidth width) => inner.In(port, width);

    public void Out(ushort port, uint value, PortWidth width) => inner.Out(port, value, width);

    public IGuestMemory Memory => inner.Memory;

    public int VcpuCount => inner.VcpuCount;

    public int CurrentVcpu => inner.CurrentVcpu;

    public void SetInterruptHandler(byte vector, Action<int> handler) => inner.SetInterruptHandler(vector, handler);

    public void ClearInterruptHandler(byte vector) => inner.ClearInterruptHandler(vector);
}
