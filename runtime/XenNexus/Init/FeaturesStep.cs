using System.Reflection;
using Xen.Abi;
using Xen.Nexus.Hypercalls;

namespace Xen.Nexus.Init;

/// <summary><c>XENVER_get_features</c>, submap 0: the <c>XENFEAT_*</c> bits Xen offers this guest.</summary>
public sealed class FeaturesStep : INexusInitStep
{
    private static readonly (int Bit, string Name)[] Names = typeof(FeaturesH)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.Name.StartsWith("Xenfeat", StringComparison.Ordinal) && f.FieldType == typeof(int) && f.Name != "XenfeatNrSubmaps")
        .Select(f => ((int)f.GetValue(null)!, XenErrorNames.SnakeCase(f.Name["Xenfeat".Length..])))
        .Where(f => f.Item1 < 32)
        .ToArray();

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
        => string.Join(',', Names.Where(n => (features & (1u << n.Bit)) != 0).Select(n => n.Name));

    /// <inheritdoc/>
    public void Detach(XenNexus nexus) => nexus.Features = 0;
}
