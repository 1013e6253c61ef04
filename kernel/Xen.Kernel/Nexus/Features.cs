using System.Runtime.InteropServices;
using Xen.Kernel.Machine;

namespace Xen.Kernel.Nexus;

/// <summary>XENVER_get_features submap 0, as FeaturesStep: the bits in hex, then their names.</summary>
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
            Log.Write("xen0: XENVER_get_features: error ");
            Log.WriteDecimal((uint)-rc);
            Log.Write('\n');
            return 0;
        }
        Log.Write("xen0: features ");
        Log.WriteHexShort(info.Submap);
        Log.Write('<');
        var first = true;
        for (uint bit = 0; bit < 32; bit++)
        {
            if ((info.Submap & (1u << (int)bit)) == 0)
                continue;
            if (!first)
                Log.Write(',');
            first = false;
            FeatureNames.Write(bit);
        }
        Log.WriteLine(">");
        return info.Submap;
    }
}
