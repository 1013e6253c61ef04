using Xen.Abi;
using Xen.Nexus.Hypercalls;

namespace Xen.Nexus.Init;

/// <summary><c>XENVER_get_features</c>, submap 0: the <c>XENFEAT_*</c> bits Xen offers this guest.</summary>
public sealed class FeaturesStep : INexusInitStep
{
    private const string Prefix = "XENFEAT_";

    /// <inheritdoc/>
    public string Name => "features";

    /// <inheritdoc/>
    public void Attach(XenNexus nexus)
    {
        using (var arg = nexus.Hypercalls.Prepare<XenFeatureInfo>())
        {
            arg.Value.SubmapIdx = 0;
            arg.Call(XenOperations.XenverGetFeatures);
            nexus.Features = arg.Value.Submap;
        }
        nexus.Log($"{nexus.Options.DeviceName}: features 0x{nexus.Features:x}<{Describe(nexus.Features)}>");
    }

    /// <summary>The names of the set <c>XENFEAT_*</c> bits, comma-separated.</summary>
    public static string Describe(uint features)
    {
        var names = new List<string>();
        for (int bit = 0; bit < 32; bit++)
        {
            if ((features & (1u << bit)) == 0) continue;
            names.Add(FeaturesH.CNameOf(bit, Prefix) is { } name ? name[Prefix.Length..] : $"bit{bit}");
        }
        return string.Join(',', names);
    }

    /// <inheritdoc/>
    public void Detach(XenNexus nexus) => nexus.Features = 0;
}
