using Xen.Abi.Sys;
using Xen.Linux.Devices;

namespace Xen.Linux.Hypercalls;

/// <summary>
/// Hypercalls through <c>/dev/xen/privcmd</c> (<c>IOCTL_PRIVCMD_HYPERCALL</c>): the kernel issues the hypercall for
/// this process and returns Xen's result, a negative one as errno. Arguments that point at memory must point at
/// memory Xen can read while the call runs (libxencall's <c>/dev/xen/hypercall</c> buffers); plain values need none.
/// </summary>
public sealed unsafe class PrivcmdDevice : IDisposable
{
    /// <summary>The device's usual path.</summary>
    public const string DefaultPath = "/dev/xen/privcmd";

    private readonly XenDevice device;

    /// <summary>Issues hypercalls through <paramref name="device"/>; this object disposes it.</summary>
    public PrivcmdDevice(XenDevice device) => this.device = device;

    /// <summary>Opens <paramref name="path"/>.</summary>
    /// <exception cref="XenDeviceException">The device cannot be opened.</exception>
    public static PrivcmdDevice Open(string path = DefaultPath) => new(XenDevice.Open(path));

    /// <summary>Hypercall <paramref name="op"/> (<c>__HYPERVISOR_*</c>) with up to five arguments.</summary>
    /// <returns>Xen's non-negative result.</returns>
    /// <exception cref="XenDeviceException">Xen (or the kernel) refused; the operation names the hypercall, errno is Xen's.</exception>
    public long Hypercall(ulong op, ReadOnlySpan<ulong> arguments)
    {
        if (arguments.Length > 5) throw new ArgumentOutOfRangeException(nameof(arguments), arguments.Length, "a hypercall takes at most 5 arguments");
        var call = new PrivcmdHypercall { Op = op };
        for (int i = 0; i < arguments.Length; i++) call.Arg[i] = arguments[i];
        string name = XenH.CNameOf((long)op, "__HYPERVISOR_") ?? $"hypercall {op}";
        return device.Ioctl(PrivcmdH.IoctlPrivcmdHypercall, &call, $"IOCTL_PRIVCMD_HYPERCALL({name})");
    }

    /// <summary><c>XENVER_version</c>: the running Xen's major and minor version.</summary>
    public Version XenVersion()
    {
        long version = Hypercall((ulong)XenH._HypervisorXenVersion, [(ulong)XenVersionH.XenverVersion, 0]);
        return new Version((int)(version >> 16), (int)(version & 0xffff));
    }

    /// <summary>Closes the device.</summary>
    public void Dispose() => device.Dispose();
}
