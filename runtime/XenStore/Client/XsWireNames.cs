namespace Xen.XenStore.Client;

/// <summary>The C names of message types (<c>XS_GET_DOMAIN_PATH</c> for <see cref="XsdSockmsgType.XsGetDomainPath"/>), for messages.</summary>
internal static class XsWireNames
{
    /// <summary>The C name of <paramref name="type"/> from the generated lookup, or its number when the header names none.</summary>
    public static string Of(XsdSockmsgType type) => type.CName() ?? $"message type {(uint)type}";
}
