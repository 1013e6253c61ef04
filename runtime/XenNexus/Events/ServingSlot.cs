using System.Runtime.InteropServices;

namespace Xen.Nexus.Events;

/// <summary>
/// What one vCPU's upcall holds, in a cache line of its own: the ports it claimed and serves (a word of the port
/// bitmap and the bits of it), published before the claim, the managed thread that runs the upcall, and the ports
/// of the batch that one of its own handlers masked or closed.
/// <see cref="EventChannels.Mask"/> and <see cref="EventChannels.Close"/> wait while a port is in another thread's slot.
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = 64)]
internal struct ServingSlot
{
    /// <summary>
    /// The ports of <see cref="Word"/> the vCPU is about to claim (published before the claim), then those it claimed;
    /// 0 when it serves none.
    /// </summary>
    [FieldOffset(0)]
    public ulong Bits;

    /// <summary>Which 64-port word <see cref="Bits"/> is of.</summary>
    [FieldOffset(8)]
    public int Word;

    /// <summary>The managed thread of the vCPU's last upcall.</summary>
    [FieldOffset(12)]
    public int Thread;

    /// <summary>
    /// Ports of <see cref="Bits"/> that a handler of this batch masked or closed, so the batch does not serve them
    /// (they stay in <see cref="Bits"/>: a wait on them still lasts until the batch ends). Written only by the
    /// slot's own thread: a Mask or Close by another thread waits for the whole batch instead.
    /// </summary>
    [FieldOffset(16)]
    public ulong Skip;

    /// <summary>The vCPU whose slot this is (set once), read by the word visit's port loop instead of keeping it in a register.</summary>
    [FieldOffset(24)]
    public int Vcpu;

    /// <summary>
    /// Whether <paramref name="port"/> is held here. Bits is read before Word (the writer stores Word, then Bits, and
    /// zeroes Bits before it moves to another word): a pair read across a change names a batch that has ended or
    /// one whose claim comes after the caller's fence (so that upcall sees the caller's change of the port first).
    /// </summary>
    public readonly bool Holds(uint port)
    {
        var bits = Volatile.Read(in Bits);
        return Volatile.Read(in Word) == (int)(port / 64) && (bits & (1UL << (int)(port % 64))) != 0;
    }
}
