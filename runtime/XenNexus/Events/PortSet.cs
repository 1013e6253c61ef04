using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Xen.Nexus.Events;

/// <summary>
/// A set of ports as a bitmap of 64-port words, changed only with atomic operations, so that the upcall reads the
/// state of a whole word of ports with one load.
/// </summary>
internal sealed class PortSet(int ports)
{
    private const int WordBits = sizeof(ulong) * 8;

    private readonly ulong[] words = new ulong[(ports + WordBits - 1) / WordBits];

    /// <summary>Adds <paramref name="port"/>; true when it was absent.</summary>
    public bool Add(uint port) => (Interlocked.Or(ref words[port / WordBits], Bit(port)) & Bit(port)) == 0;

    /// <summary>Removes <paramref name="port"/>; true when it was present.</summary>
    public bool Remove(uint port) => (Interlocked.And(ref words[port / WordBits], ~Bit(port)) & Bit(port)) != 0;

    /// <summary>Whether <paramref name="port"/> is in the set.</summary>
    public bool Contains(uint port) => port / WordBits < (uint)words.Length && (Volatile.Read(ref words[port / WordBits]) & Bit(port)) != 0;

    /// <summary>The ports <c>64 * word</c> to <c>64 * word + 63</c> in the set, bit <c>n</c> for port <c>64 * word + n</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong Word(int word) => Volatile.Read(ref WordRef(word));

    /// <summary>
    /// Word <paramref name="word"/> itself, without a bounds check, so that a loop over one word's ports loads it
    /// once per port without reloading the set; the caller has <paramref name="word"/> in range (below
    /// <c>ports / 64</c>) and reads it with <see cref="Volatile.Read(ref readonly ulong)"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ref ulong WordRef(int word)
    {
        Debug.Assert((uint)word < (uint)words.Length, "port set word out of range");
        return ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(words), word);
    }

    private static ulong Bit(uint port) => 1UL << (int)(port % WordBits);
}
