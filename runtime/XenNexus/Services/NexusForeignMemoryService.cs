using Xen.Nexus.Grants;
using Xen.Nexus.Hypercalls;
using Xen.Nexus.Platform;
using Xen.Services;

namespace Xen.Nexus.Services;

/// <summary>
/// A backend's view of peers' grants on the nexus's <see cref="GrantMapper"/>: mappings into newly allocated frames
/// of this domain, copies through one bounce frame.
/// </summary>
public sealed unsafe class NexusForeignMemoryService : IForeignMemoryService, IDisposable
{
    private readonly GrantMapper mapper;
    private readonly IGuestMemory memory;
    private readonly Lock bounceGate = new();
    private readonly ulong bounceGfn;
    private readonly byte* bounce;

    /// <summary>Creates the service; it takes one frame of <paramref name="memory"/> to bounce copies through.</summary>
    public NexusForeignMemoryService(GrantMapper mapper, IGuestMemory memory)
    {
        this.mapper = mapper;
        this.memory = memory;
        bounceGfn = memory.AllocateFrames(1);
        bounce = memory.Map(XenPage.Address(bounceGfn), XenPage.Size);
    }

    /// <inheritdoc/>
    public ForeignPages Map(ushort domain, ReadOnlySpan<uint> references, bool readOnly)
    {
        if (references.IsEmpty)
            throw new ArgumentException("no grant references to map", nameof(references));
        var gfn = memory.AllocateFrames(references.Length);
        var mappings = new GrantMapping[references.Length];
        var mapped = 0;
        try
        {
            for (; mapped < references.Length; mapped++)
                mappings[mapped] = mapper.MapAt(domain, references[mapped], gfn + (ulong)mapped, readOnly ? GrantAccess.ReadOnly : GrantAccess.ReadWrite);
        }
        catch (XenGrantStatusException e)
        {
            Unmap(mappings.AsSpan(0, mapped), gfn, references.Length);
            throw new GrantRefusedException(e.Operation.Name, domain, references[mapped], e.StatusName, e);
        }
        catch
        {
            Unmap(mappings.AsSpan(0, mapped), gfn, references.Length);
            throw;
        }
        var address = memory.Map(XenPage.Address(gfn), (nuint)(references.Length * XenPage.Size));
        return new Mapping(this, address, domain, references.ToArray(), readOnly, mappings, gfn);
    }

    /// <inheritdoc/>
    public void CopyFrom(ushort domain, uint grantRef, int offset, Span<byte> destination)
    {
        CheckRange(offset, destination.Length);
        lock (bounceGate)
        {
            var length = (ushort)destination.Length;
            Copy(domain, grantRef, () => mapper.Copy(GrantCopySegment.Grant(domain, grantRef, (ushort)offset), GrantCopySegment.Local(bounceGfn), length));
            new ReadOnlySpan<byte>(bounce, destination.Length).CopyTo(destination);
        }
    }

    /// <inheritdoc/>
    public void CopyTo(ushort domain, uint grantRef, int offset, ReadOnlySpan<byte> source)
    {
        CheckRange(offset, source.Length);
        lock (bounceGate)
        {
            source.CopyTo(new Span<byte>(bounce, source.Length));
            var length = (ushort)source.Length;
            Copy(domain, grantRef, () => mapper.Copy(GrantCopySegment.Local(bounceGfn), GrantCopySegment.Grant(domain, grantRef, (ushort)offset), length));
        }
    }

    /// <summary>Frees the bounce frame.</summary>
    public void Dispose() => memory.FreeFrames(bounceGfn, 1);

    private static void Copy(ushort domain, uint grantRef, Action copy)
    {
        try
        {
            copy();
        }
        catch (XenGrantStatusException e)
        {
            throw new GrantRefusedException(e.Operation.Name, domain, grantRef, e.StatusName, e);
        }
    }

    private static void CheckRange(int offset, int length)
    {
        if (offset < 0 || length < 0 || offset + length > XenPage.Size)
            throw new ArgumentOutOfRangeException(nameof(offset), $"[{offset}, {offset + length}) is not inside one {XenPage.Size}-byte page");
    }

    private void Unmap(ReadOnlySpan<GrantMapping> mappings, ulong gfn, int count)
    {
        var stillMapped = false;
        foreach (var mapping in mappings)
        {
            try
            {
                mapper.UnmapAt(mapping);
            }
            catch (XenGrantStatusException)
            {
                stillMapped = true; // never reuse a frame Xen may still map
            }
        }
        if (!stillMapped)
            memory.FreeFrames(gfn, count);
    }

    private sealed class Mapping(NexusForeignMemoryService owner, byte* address, ushort domain, uint[] refs, bool readOnly, GrantMapping[] mappings, ulong gfn)
        : ForeignPages(address, domain, refs, readOnly)
    {
        protected override void Unmap() => owner.Unmap(mappings, gfn, mappings.Length);
    }
}
