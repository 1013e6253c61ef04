using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace Xen.Nexus.Grants;

/// <summary>
/// A test-and-set lock, as Linux's grant code takes its spin lock: one locked instruction to enter, a plain release
/// store to leave, no owner thread. Held only for a few instructions (a table growth's hypercall at most).
/// </summary>
internal struct SpinGate
{
    private int held;

    /// <summary>Enters; the scope's disposal leaves.</summary>
    [UnscopedRef]
    public Scope Hold()
    {
        if (Interlocked.CompareExchange(ref held, 1, 0) != 0)
            Contended();
        return new Scope(ref held);
    }

    /// <summary>
    /// Enters, for a body that cannot throw (a few loads and stores of checked indices), which leaves with
    /// <see cref="Exit"/>: no try/finally, so a caller inlining the body keeps its values in registers.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Enter()
    {
        if (Interlocked.CompareExchange(ref held, 1, 0) != 0)
            Contended();
    }

    /// <summary>Leaves what <see cref="Enter"/> entered: a release store.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Exit() => Volatile.Write(ref held, 0);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Contended()
    {
        var spin = new SpinWait();
        do
            spin.SpinOnce();
        while (Volatile.Read(ref held) != 0 || Interlocked.CompareExchange(ref held, 1, 0) != 0);
    }

    /// <summary>The held lock; <see cref="Dispose"/> releases it.</summary>
    public readonly ref struct Scope(ref int held)
    {
        private readonly ref int held = ref held;

        /// <summary>Leaves the lock.</summary>
        public void Dispose() => Volatile.Write(ref held, 0);
    }
}
