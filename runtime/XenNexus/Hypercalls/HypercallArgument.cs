namespace Xen.Nexus.Hypercalls;

/// <summary>
/// A generated argument struct (<c>EvtchnBindVirq</c>, <c>XenAddToPhysmap</c>, ...) in a slot of the calling vCPU's
/// argument page: fill <see cref="Value"/>, make the call, read the OUT fields, dispose to return the slot.
/// </summary>
/// <typeparam name="T">The generated Xen.Abi struct.</typeparam>
public unsafe ref struct HypercallArgument<T> where T : unmanaged
{
    private readonly XenHypercalls owner;
    private readonly int vcpu;
    private readonly int slot;
    private readonly T* value;

    internal HypercallArgument(XenHypercalls owner, int vcpu, int slot, T* value)
    {
        this.owner = owner;
        this.vcpu = vcpu;
        this.slot = slot;
        this.value = value;
    }

    /// <summary>The struct in guest memory (zeroed when taken).</summary>
    public readonly ref T Value => ref *value;

    /// <summary>The struct as an array of <paramref name="index"/>+1 or more, for the batched grant-table operations.</summary>
    public readonly ref T this[int index] => ref value[index];

    /// <summary>The guest-physical address Xen reads and writes the struct at.</summary>
    public readonly ulong Address => owner.Pages.Address(vcpu, slot);

    /// <summary>
    /// Makes <paramref name="operation"/> with this struct (for <see cref="HypercallForm.CommandVcpuArgument"/>,
    /// <paramref name="extra"/> is the vCPU; for <see cref="HypercallForm.CommandArgumentCount"/>, the count, 1 when 0).
    /// </summary>
    /// <returns>Xen's non-negative return value.</returns>
    /// <exception cref="XenHypercallException">Xen returned a negated errno.</exception>
    public readonly long Call(XenOperation operation, ulong extra = 0) => owner.Call(operation, Address, extra);

    /// <summary>Returns the slot; the struct must not be used afterwards.</summary>
    public void Dispose()
    {
        if (owner is not null)
            owner.Pages.Return(vcpu, slot);
        this = default;
    }
}
