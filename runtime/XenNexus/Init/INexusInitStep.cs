namespace Xen.Nexus.Init;

/// <summary>
/// One step of the nexus's attach: <see cref="Attach"/> does it and logs one line; if a later step fails,
/// <see cref="Detach"/> releases what it took, so no half-initialised state is left.
/// </summary>
public interface INexusInitStep
{
    /// <summary>A short name for logs and errors (<c>hypercall page</c>, <c>grant table</c>).</summary>
    string Name { get; }

    /// <summary>Does the step on <paramref name="nexus"/>; throws (a named hypercall error) if it cannot, having released what it took.</summary>
    void Attach(XenNexus nexus);

    /// <summary>Releases what <see cref="Attach"/> took; never throws.</summary>
    void Detach(XenNexus nexus);
}
