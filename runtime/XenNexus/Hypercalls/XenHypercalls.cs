using Xen.Nexus.Platform;

namespace Xen.Nexus.Hypercalls;

/// <summary>
/// The one place the nexus makes hypercalls: argument structs live in per-vCPU guest pages
/// (<see cref="Prepare{T}()"/>), and a negative return becomes a <see cref="XenHypercallException"/> naming the
/// operation and Xen's errno.
/// </summary>
public sealed unsafe class XenHypercalls : IDisposable
{
    /// <summary>Allocates the argument pages in <paramref name="hypervisor"/>'s memory.</summary>
    public XenHypercalls(IHypervisor hypervisor)
    {
        Hypervisor = hypervisor;
        Pages = new HypercallArgumentPages(hypervisor);
    }

    /// <summary>The machine the calls go to.</summary>
    public IHypervisor Hypervisor { get; }

    /// <summary>The per-vCPU argument pages.</summary>
    public HypercallArgumentPages Pages { get; }

    /// <summary>A zeroed <typeparamref name="T"/> in a slot of the calling vCPU's argument page.</summary>
    public HypercallArgument<T> Prepare<T>() where T : unmanaged => Prepare<T>(1);

    /// <summary>A zeroed array of <paramref name="count"/> <typeparamref name="T"/> in one slot (batched grant operations).</summary>
    public HypercallArgument<T> Prepare<T>(int count) where T : unmanaged
    {
        var vcpu = Hypervisor.CurrentVcpu;
        var slot = Pages.Take(vcpu, sizeof(T) * count);
        return new HypercallArgument<T>(this, vcpu, slot, (T*)Pages.Pointer(vcpu, slot));
    }

    /// <summary>Makes <paramref name="operation"/> with argument address <paramref name="address"/> (0 for none).</summary>
    /// <returns>Xen's non-negative return value.</returns>
    /// <exception cref="XenHypercallException">Xen returned a negated errno.</exception>
    public long Call(XenOperation operation, ulong address, ulong extra = 0)
    {
        var command = (ulong)(uint)operation.Command;
        var result = operation.Form switch
        {
            HypercallForm.CommandVcpuArgument => Hypervisor.Hypercall(operation.Hypercall, command, extra, address),
            HypercallForm.CommandArgumentCount => Hypervisor.Hypercall(operation.Hypercall, command, address, extra == 0 ? 1 : extra),
            _ => Hypervisor.Hypercall(operation.Hypercall, command, address),
        };
        return Check(operation, result);
    }

    /// <summary>Returns <paramref name="result"/>, or throws the named error when it is a negated errno.</summary>
    /// <exception cref="XenHypercallException"><paramref name="result"/> is negative.</exception>
    public static long Check(XenOperation operation, long result)
        => result < 0 ? throw new XenHypercallException(operation, (uint)-result) : result;

    /// <summary>Throws the named error when a grant operation's <paramref name="status"/> is not <c>GNTST_okay</c>.</summary>
    /// <exception cref="XenGrantStatusException"><paramref name="status"/> is an error.</exception>
    public static void CheckGrantStatus(XenOperation operation, short status)
    {
        if (status != GrantTableH.GntstOkay)
            throw new XenGrantStatusException(operation, status);
    }

    /// <summary>Frees the argument pages.</summary>
    public void Dispose() => Pages.Dispose();
}
