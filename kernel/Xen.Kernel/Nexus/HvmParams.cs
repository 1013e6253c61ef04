using System.Runtime.InteropServices;

namespace Xen.Kernel.Nexus;

/// <summary><c>HVMOP_set_param</c> and <c>HVMOP_get_param</c> on this domain, each failure named.</summary>
public static unsafe class HvmParams
{
    /// <summary>struct xen_hvm_param (hvm_op.h); the test holds its layout to Xen.Abi's.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 16)]
    public struct XenHvmParam
    {
        [FieldOffset(0)] public ushort Domid;
        [FieldOffset(2)] public ushort Pad;
        [FieldOffset(4)] public uint Index;
        [FieldOffset(8)] public ulong Value;
    }

    public static bool Set(uint index, ulong value, string operation)
    {
        XenHvmParam arg;
        arg.Domid = (ushort)XenNumbers.DomidSelf;
        arg.Pad = 0;
        arg.Index = index;
        arg.Value = value;
        return !Hypercalls.Failed(operation, Hypercalls.Call(XenNumbers.HypervisorHvmOp, XenNumbers.HvmopSetParam, (ulong)&arg));
    }

    /// <summary>False (logged) on an error.</summary>
    public static bool Get(uint index, out ulong value, string operation)
    {
        XenHvmParam arg;
        arg.Domid = (ushort)XenNumbers.DomidSelf;
        arg.Pad = 0;
        arg.Index = index;
        arg.Value = 0;
        var ok = !Hypercalls.Failed(operation, Hypercalls.Call(XenNumbers.HypervisorHvmOp, XenNumbers.HvmopGetParam, (ulong)&arg));
        value = arg.Value;
        return ok;
    }
}
