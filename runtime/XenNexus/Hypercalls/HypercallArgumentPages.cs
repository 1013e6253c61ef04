using System.Runtime.CompilerServices;
using Xen.Nexus.Platform;

namespace Xen.Nexus.Hypercalls;

/// <summary>
/// One page of guest memory per vCPU where the nexus builds hypercall argument structs. A page is cut into
/// <see cref="SlotsPerPage"/> slots taken and returned with an atomic bitmap, so code interrupted by the upcall on the
/// same vCPU and the upcall itself never share a slot, and a hypercall allocates nothing.
/// </summary>
public sealed unsafe class HypercallArgumentPages : IDisposable
{
    /// <summary>The bytes of one slot: the largest argument struct the nexus passes fits many times over.</summary>
    public const int SlotSize = 256;

    /// <summary>Slots per vCPU page: how deeply hypercalls on one vCPU may nest (thread, upcall, ...).</summary>
    public const int SlotsPerPage = XenPage.Size / SlotSize;

    private readonly IGuestMemory memory;
    private readonly ulong firstGfn;
    private readonly byte* pages;
    private readonly int[] freeSlots;
    private readonly int vcpuCount;
    private bool disposed;

    /// <summary>Allocates and maps one zeroed page per vCPU of <paramref name="hypervisor"/>.</summary>
    public HypercallArgumentPages(IHypervisor hypervisor)
    {
        memory = hypervisor.Memory;
        vcpuCount = hypervisor.VcpuCount;
        firstGfn = memory.AllocateFrames(vcpuCount);
        pages = memory.Map(XenPage.Address(firstGfn), (nuint)(vcpuCount * XenPage.Size));
        freeSlots = new int[vcpuCount];
        Array.Fill(freeSlots, (int)((1UL << SlotsPerPage) - 1));
    }

    /// <summary>The frame of vCPU 0's page; vCPU <c>n</c>'s follows at <c>+n</c>.</summary>
    public ulong FirstGfn => firstGfn;

    /// <summary>Takes a free slot of <paramref name="vcpu"/>'s page, zeroes it and returns its index.</summary>
    /// <exception cref="InvalidOperationException">Every slot is in use (hypercalls nested deeper than <see cref="SlotsPerPage"/>).</exception>
    internal int Take(int vcpu, int size)
    {
        if ((uint)size > SlotSize)
            throw new ArgumentOutOfRangeException(nameof(size), size, $"an argument struct larger than a {SlotSize}-byte slot");
        ref var free = ref freeSlots[vcpu];
        while (true)
        {
            var seen = Volatile.Read(ref free);
            if (seen == 0)
                throw new InvalidOperationException($"vCPU {vcpu}: all {SlotsPerPage} hypercall argument slots in use");
            var slot = System.Numerics.BitOperations.TrailingZeroCount(seen);
            if (Interlocked.CompareExchange(ref free, seen & ~(1 << slot), seen) == seen)
            {
                Unsafe.InitBlockUnaligned(Pointer(vcpu, slot), 0, SlotSize);
                return slot;
            }
        }
    }

    /// <summary>Returns a slot from <see cref="Take"/>.</summary>
    internal void Return(int vcpu, int slot) => Interlocked.Or(ref freeSlots[vcpu], 1 << slot);

    /// <summary>Where this process reads and writes the slot.</summary>
    internal byte* Pointer(int vcpu, int slot) => pages + (vcpu * XenPage.Size) + (slot * SlotSize);

    /// <summary>The guest-physical address Xen is given for the slot.</summary>
    internal ulong Address(int vcpu, int slot) => XenPage.Address(firstGfn + (ulong)vcpu) + (ulong)(slot * SlotSize);

    /// <summary>Returns the pages to the guest's free memory.</summary>
    public void Dispose()
    {
        if (disposed)
            return;
        disposed = true;
        memory.FreeFrames(firstGfn, vcpuCount);
    }
}
