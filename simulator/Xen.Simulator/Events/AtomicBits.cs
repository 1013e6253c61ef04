namespace Xen.Simulator.Events;

/// <summary>
/// The locked bit operations Xen uses on words it shares with a running guest (test_and_set_bit, test_and_clear_bit,
/// test_bit): each is one interlocked read-modify-write, so a guest clearing bits concurrently never loses a set.
/// </summary>
internal static unsafe class AtomicBits
{
    /// <summary>Sets bit <paramref name="bit"/> of the bit string at <paramref name="words"/>; returns whether it was set.</summary>
    internal static bool TestAndSet(ulong* words, uint bit)
    {
        var mask = 1UL << (int)(bit % 64);
        return (Interlocked.Or(ref words[bit / 64], mask) & mask) != 0;
    }

    /// <summary>Clears bit <paramref name="bit"/>; returns whether it was set.</summary>
    internal static bool TestAndClear(ulong* words, uint bit)
    {
        var mask = 1UL << (int)(bit % 64);
        return (Interlocked.And(ref words[bit / 64], ~mask) & mask) != 0;
    }

    /// <summary>Whether bit <paramref name="bit"/> is set (a volatile read).</summary>
    internal static bool Test(ulong* words, uint bit) => (Volatile.Read(ref words[bit / 64]) & (1UL << (int)(bit % 64))) != 0;

    /// <summary>Sets bit <paramref name="bit"/> of a 32-bit word; returns whether it was set.</summary>
    internal static bool TestAndSet(uint* word, int bit)
    {
        var mask = 1U << bit;
        return (Interlocked.Or(ref *word, mask) & mask) != 0;
    }

    /// <summary>Clears bit <paramref name="bit"/> of a 32-bit word; returns whether it was set.</summary>
    internal static bool TestAndClear(uint* word, int bit)
    {
        var mask = 1U << bit;
        return (Interlocked.And(ref *word, ~mask) & mask) != 0;
    }

    /// <summary>Whether bit <paramref name="bit"/> of a 32-bit word is set.</summary>
    internal static bool Test(uint* word, int bit) => (Volatile.Read(ref *word) & (1U << bit)) != 0;

    /// <summary>Sets a byte flag to 1; returns whether it was already non-zero (evtchn_upcall_pending).</summary>
    internal static bool TestAndSet(byte* flag) => Interlocked.Exchange(ref *flag, 1) != 0;
}
