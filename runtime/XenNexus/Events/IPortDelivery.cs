namespace Xen.Nexus.Events;

/// <summary>
/// What <see cref="EventChannels.Deliver"/> does to a port, implemented by a struct per ABI so that the JIT compiles
/// one delivery per ABI with direct calls (the upcall's hot path).
/// </summary>
internal interface IPortDelivery
{
    /// <summary>Sets the port's mask bit; true when it was clear.</summary>
    bool TryClaim(uint port);

    /// <summary>Whether the port's pending bit is set.</summary>
    bool IsPending(uint port);

    /// <summary>Clears the port's pending bit, atomically and alone.</summary>
    void ClearPending(uint port);

    /// <summary>Clears the mask bit (raising the port again if pending) in the upcall of <paramref name="vcpu"/>.</summary>
    void Unmask(uint port, int vcpu);
}
