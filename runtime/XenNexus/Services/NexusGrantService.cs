using Xen.Nexus.Grants;
using Xen.Nexus.Platform;
using Xen.Services;

namespace Xen.Nexus.Services;

/// <summary>Drivers' grants on the nexus's <see cref="GrantTable"/>, over frames of the guest's own memory.</summary>
public sealed class NexusGrantService(GrantTable table, IGuestMemory memory) : IGrantService
{
    /// <inheritdoc/>
    public unsafe GrantedPages Grant(ushort domain, int pageCount, bool readOnly = false)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(pageCount);
        var gfn = memory.AllocateFrames(pageCount);
        var refs = new uint[pageCount];
        var granted = 0;
        try
        {
            for (; granted < pageCount; granted++)
                refs[granted] = table.GrantAccess(domain, gfn + (ulong)granted, readOnly ? GrantAccess.ReadOnly : GrantAccess.ReadWrite);
        }
        catch (GrantTableFullException e)
        {
            Release(refs.AsSpan(0, granted), gfn, pageCount);
            throw new InvalidOperationException($"granting {pageCount} pages to domain {domain}: {e.Message}", e);
        }
        catch
        {
            Release(refs.AsSpan(0, granted), gfn, pageCount);
            throw;
        }
        var address = memory.Map(XenPage.Address(gfn), (nuint)(pageCount * XenPage.Size));
        return new Pages(this, address, gfn, refs, readOnly);
    }

    /// <summary>Ends access to each of <paramref name="refs"/>; frees the frames once the peer let go of all of them.</summary>
    private void Release(ReadOnlySpan<uint> refs, ulong gfn, int pageCount)
    {
        var outstanding = new StrongBox(refs.Length + 1);
        void Released(uint grantRef, ulong frame)
        {
            if (Interlocked.Decrement(ref outstanding.Value) == 0)
                memory.FreeFrames(gfn, pageCount);
        }
        foreach (var gref in refs)
            table.EndAccessDeferred(gref, Released);
        Released(0, 0); // the caller's own hold
    }

    private sealed class StrongBox(int value)
    {
        public int Value = value;
    }

    private sealed unsafe class Pages(NexusGrantService owner, byte* address, ulong gfn, uint[] references, bool readOnly)
        : GrantedPages(address, references.Length, references, readOnly)
    {
        protected override void Release() => owner.Release(References.ToArray(), gfn, PageCount);
    }
}
