using Xen.Abi;
using Xen.Linux.Devices;
using Xen.Linux.Hypercalls;

namespace Xen.XenStore.Daemon.Dom0;

/// <summary>What C xenstored asks Xen of a domain it serves: whether it still exists, is dying, or shut down.</summary>
/// <param name="Dying">Xen is tearing the domain down (<c>XEN_DOMINF_dying</c>).</param>
/// <param name="Shutdown">The domain shut down or crashed and waits for its toolstack (<c>XEN_DOMINF_shutdown</c>).</param>
internal readonly record struct DomainState(bool Dying, bool Shutdown);

/// <summary>
/// <c>XEN_DOMCTL_getdomaininfo</c> through <c>/dev/xen/privcmd</c>. The <c>xen_domctl</c> lives in a page of
/// <c>/dev/xen/hypercall</c> (privcmd's locked buffers, as libxencall uses), so Xen can always read and write it.
/// </summary>
internal sealed unsafe class DomainInfoReader : IDisposable
{
    /// <summary>privcmd's hypercall buffer device.</summary>
    public const string BufferDevicePath = "/dev/xen/hypercall";

    private const int PageSize = 4096;

    private readonly PrivcmdDevice privcmd;
    private readonly XenDevice bufferDevice;
    private readonly XenDomctl* domctl;
    private readonly Lock gate = new();

    private DomainInfoReader(PrivcmdDevice privcmd, XenDevice bufferDevice)
    {
        this.privcmd = privcmd;
        this.bufferDevice = bufferDevice;
        domctl = (XenDomctl*)bufferDevice.Map(PageSize, writable: true, 0);
    }

    /// <summary>Opens privcmd and its buffer device.</summary>
    /// <exception cref="XenDeviceException">A device is missing or refused.</exception>
    public static DomainInfoReader Open()
    {
        var privcmd = PrivcmdDevice.Open();
        XenDevice? buffer = null;
        try
        {
            buffer = XenDevice.Open(BufferDevicePath);
            return new DomainInfoReader(privcmd, buffer);
        }
        catch
        {
            buffer?.Dispose();
            privcmd.Dispose();
            throw;
        }
    }

    /// <summary>The state of <paramref name="domainId"/>; null when Xen has no such domain.</summary>
    /// <exception cref="XenDeviceException">Xen refused the domctl for another reason than a missing domain.</exception>
    public DomainState? Get(uint domainId)
    {
        lock (gate)
        {
            *domctl = default;
            domctl->Cmd = (uint)Domctl.XenDomctlGetdomaininfo;
            domctl->InterfaceVersion = (uint)Domctl.XenDomctlInterfaceVersion;
            domctl->Domain = (ushort)domainId;
            try
            {
                privcmd.Hypercall((ulong)Xen.Abi.Xen._HypervisorDomctl, [(ulong)domctl]);
            }
            catch (XenDeviceException e) when (e.Errno == (int)XenErrno.XenEsrch)
            {
                return null;
            }
            // Xen answers with the first domain at or above the one asked for (C xenstored checks the id too).
            ref var info = ref domctl->U.Getdomaininfo;
            if (info.Domain != domainId) return null;
            return new DomainState((info.Flags & Domctl.XenDominfDying) != 0, (info.Flags & Domctl.XenDominfShutdown) != 0);
        }
    }

    /// <summary>Unmaps the buffer and closes both devices.</summary>
    public void Dispose()
    {
        bufferDevice.Unmap((byte*)domctl, PageSize);
        bufferDevice.Dispose();
        privcmd.Dispose();
    }
}
