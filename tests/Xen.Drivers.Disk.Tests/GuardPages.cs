using Xen.Nexus.Platform;

namespace Xen.Drivers.Disk.Tests;

/// <summary>Guest frames no one granted, filled with a pattern: a backend that reached them would change it.</summary>
public sealed unsafe class GuardPages(SimulatedDomain domain, int count)
{
    private const byte Pattern = 0x5a;
    private readonly ulong first = Fill(domain, count);

    private static ulong Fill(SimulatedDomain domain, int count)
    {
        var gfn = domain.Memory.AllocateFrames(count);
        new Span<byte>(domain.Memory.Map(XenPage.Address(gfn), (nuint)(count * XenPage.Size)), count * XenPage.Size).Fill(Pattern);
        return gfn;
    }

    /// <summary>Changes byte <paramref name="offset"/> (to show <see cref="Untouched"/> sees it).</summary>
    public void Poke(int offset)
    {
        var bytes = new Span<byte>(domain.Memory.Map(XenPage.Address(first), (nuint)(count * XenPage.Size)), count * XenPage.Size);
        bytes[offset] ^= 0xff;
    }

    /// <summary>Whether every byte still holds the pattern.</summary>
    public bool Untouched()
    {
        var bytes = new ReadOnlySpan<byte>(domain.Memory.Map(XenPage.Address(first), (nuint)(count * XenPage.Size)), count * XenPage.Size);
        return !bytes.ContainsAnyExcept(Pattern);
    }
}
