using System.Runtime.InteropServices;
using Xen.Kernel.Machine;

namespace Xen.Kernel.Nexus;

/// <summary>XENVER_get_features submap 0, as FeaturesStep (the bits in hex; the names are the nexus's job).</summary>
public static unsafe class Features
{
    /// <summary>struct xen_feature_info (version.h); the test holds its layout to Xen.Abi's.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 8)]
    public struct XenFeatureInfo
    {
        [FieldOffset(0)] public uint SubmapIdx;
        [FieldOffset(4)] public uint Submap;
    }

    public static uint Attach()
    {
        XenFeatureInfo info;
        info.SubmapIdx = 0;
        info.Submap = 0;
        var rc = Hypercalls.Call(XenNumbers.HypervisorXenVersion, XenNumbers.XenverGetFeatures, (ulong)&info);
        if (rc != 0)
        {
            DebugConsole.Write("xen0: XENVER_get_features: error ");
            DebugConsole.WriteDecimal((uint)-rc);
            DebugConsole.Write('\n');
            return 0;
        }
        DebugConsole.Write("xen0: features ");
        DebugConsole.WriteHex(info.Submap, 8);
        DebugConsole.Write('\n');
        return info.Submap;
    }
}
