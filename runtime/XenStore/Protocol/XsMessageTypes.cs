namespace Xen.XenStore.Protocol;

/// <summary>Which values of the header's <c>type</c> field name a message type of the release.</summary>
public static class XsMessageTypes
{
    private static readonly bool[] s_known = BuildKnown();

    /// <summary>Whether <paramref name="type"/> is a message type of <c>enum xsd_sockmsg_type</c> below <c>XS_TYPE_COUNT</c>.</summary>
    /// <param name="type">The raw <c>type</c> field.</param>
    /// <returns>True for a type the header defines (a removed type such as <c>XS_RESTRICT</c> is not one).</returns>
    public static bool IsKnown(uint type) => type < (uint)s_known.Length && s_known[type];

    private static bool[] BuildKnown()
    {
        var known = new bool[(int)XsdSockmsgType.XsTypeCount];
        foreach (XsdSockmsgType value in Enum.GetValues<XsdSockmsgType>())
        {
            if (value < XsdSockmsgType.XsTypeCount) known[(int)value] = true;
        }
        return known;
    }
}
