namespace Xen.Rings;

/// <summary>
/// The three memory barriers the Xen ring protocols are written against, defined once for every ring accessor.
/// </summary>
/// <remarks>
/// <see cref="Mb"/> orders earlier loads and stores before later loads and stores (a full fence).
/// <see cref="Rmb"/> orders earlier loads before later loads and <see cref="Wmb"/> earlier stores before later stores;
/// on x86-64 both only stop the compiler from reordering, as the hardware already keeps that order.
/// </remarks>
public static class XenBarriers
{
    /// <summary>Full barrier (<c>xen_mb</c>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Mb() => Interlocked.MemoryBarrier();

    /// <summary>Read barrier (<c>xen_rmb</c>): loads before it complete before loads after it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Rmb() => Volatile.ReadBarrier();

    /// <summary>Write barrier (<c>xen_wmb</c>): stores before it become visible before stores after it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Wmb() => Volatile.WriteBarrier();
}
