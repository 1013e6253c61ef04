using System.Runtime.InteropServices;
using Xen.Abi.Sys;
using Xen.Linux.Devices;

namespace Xen.Linux.Events;

/// <summary>
/// <c>/dev/xen/evtchn</c> as Linux's <c>drivers/xen/evtchn.c</c> defines it: ioctls bind and unbind ports of this
/// file, a read returns the ports that fired (each masked by the kernel until written back), a write unmasks.
/// </summary>
internal sealed unsafe class EvtchnDevicePorts(XenDevice device) : IEvtchnPorts
{
    /// <summary>The device's usual path.</summary>
    public const string DefaultPath = "/dev/xen/evtchn";

    public string Name => device.Path;

    public uint BindUnbound(ushort remoteDomain)
    {
        var op = new IoctlEvtchnBindUnboundPort { RemoteDomain = remoteDomain };
        return (uint)device.Ioctl(EvtchnH.IoctlEvtchnBindUnboundPort, &op, "IOCTL_EVTCHN_BIND_UNBOUND_PORT");
    }

    public uint BindInterdomain(ushort remoteDomain, uint remotePort)
    {
        var op = new IoctlEvtchnBindInterdomain { RemoteDomain = remoteDomain, RemotePort = remotePort };
        return (uint)device.Ioctl(EvtchnH.IoctlEvtchnBindInterdomain, &op, "IOCTL_EVTCHN_BIND_INTERDOMAIN");
    }

    public uint BindVirq(uint virq)
    {
        var op = new IoctlEvtchnBindVirq { Virq = virq };
        return (uint)device.Ioctl(EvtchnH.IoctlEvtchnBindVirq, &op, "IOCTL_EVTCHN_BIND_VIRQ");
    }

    public void Unbind(uint port)
    {
        var op = new IoctlEvtchnUnbind { Port = port };
        device.Ioctl(EvtchnH.IoctlEvtchnUnbind, &op, "IOCTL_EVTCHN_UNBIND");
    }

    public void Notify(uint port)
    {
        var op = new IoctlEvtchnNotify { Port = port };
        device.Ioctl(EvtchnH.IoctlEvtchnNotify, &op, "IOCTL_EVTCHN_NOTIFY");
    }

    public int ReadPending(Span<uint> ports, int timeoutMilliseconds)
    {
        if (!device.WaitReadable(timeoutMilliseconds)) return 0;
        try
        {
            int n = device.Read(MemoryMarshal.AsBytes(ports));
            return n < 0 ? 0 : n / sizeof(uint);
        }
        catch (XenDeviceException e) when (e.Errno == LibC.Efbig)
        {
            return -1; // evtchn.c: the ring of fired ports overflowed
        }
    }

    public void Unmask(ReadOnlySpan<uint> ports) => device.Write(MemoryMarshal.AsBytes(ports));

    public void Reset() => device.Ioctl(EvtchnH.IoctlEvtchnReset, null, "IOCTL_EVTCHN_RESET");

    public void Dispose() => device.Dispose();
}
