namespace Xen.Nexus.Init;

/// <summary>
/// A step that holds resources of this process besides what it asked Xen for (a thread reading the store ring).
/// When the machine has stopped (<c>SCHEDOP_shutdown</c> returned on the simulator, or the domain is gone), Xen can be
/// asked for nothing more, but these must still be let go: <see cref="XenNexus.Abandon"/> calls <see cref="Abandon"/>.
/// </summary>
public interface IAbandonableStep
{
    /// <summary>Releases what this process holds for the step without a hypercall; never throws.</summary>
    void Abandon(XenNexus nexus);
}
