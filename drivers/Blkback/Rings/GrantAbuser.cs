using System.Runtime.CompilerServices;
using Xen.Abi.Io;
using Xen.Services;

namespace Xen.Drivers.Blkback.Rings;

/// <summary>
/// <see cref="BlkbackHostility.GrantAbuse"/>: around each request, tries what a backend must not be able to do to
/// the frontend's memory — map or copy references it was never granted, map the read-only indirect pages writable or
/// copy into them, copy past a page's end — and counts what the hypervisor (or the grant service) refused.
/// </summary>
internal sealed class GrantAbuser(BlkbackQueueContext context)
{
    /// <summary>References far above any the frontend has granted (a v1 table of 64 frames holds 32768).</summary>
    private static readonly uint[] NeverGranted = [40_000, 65_535, 0x00ff_ffff, uint.MaxValue - 1];

    private readonly byte[] junk = Enumerable.Repeat((byte)0xEE, 64).ToArray();

    public int Refused;
    public int Allowed;

    public unsafe void Abuse(in BlkifRequest request)
    {
        foreach (var gref in NeverGranted)
        {
            Try(() => context.Foreign.Map(context.FrontendDomain, [gref], readOnly: false).Dispose());
            Try(() => context.Foreign.CopyTo(context.FrontendDomain, gref, 0, junk));
        }
        var copy = request;
        if (copy.Operation == Blkif.BlkifOpIndirect)
        {
            var indirect = Unsafe.As<BlkifRequest, BlkifRequestIndirect>(ref copy);
            var descriptors = indirect.IndirectGrefs[0];
            Try(() => context.Foreign.Map(context.FrontendDomain, [descriptors], readOnly: false).Dispose());
            Try(() => context.Foreign.CopyTo(context.FrontendDomain, descriptors, 0, junk));
        }
        else if (copy.NrSegments > 0)
        {
            var gref = copy.Seg[0].Gref;
            Try(() => context.Foreign.CopyTo(context.FrontendDomain, gref, (1 << Ring.XenPageShift) - 8, junk));
        }
    }

    private void Try(Action abuse)
    {
        try
        {
            abuse();
            Interlocked.Increment(ref Allowed);
            context.Log("blkback: hostile: a grant abuse went through");
        }
        catch (Exception e) when (e is GrantRefusedException or ArgumentException)
        {
            Interlocked.Increment(ref Refused);
        }
    }
}
