using System.Text;

namespace Xen.XenStore.Client;

/// <summary>The C names of message types (<c>XS_GET_DOMAIN_PATH</c> for <see cref="XsdSockmsgType.XsGetDomainPath"/>), for messages.</summary>
internal static class XsWireNames
{
    /// <summary>The C name of <paramref name="type"/>, undoing the generator's PascalCase of the enumerator.</summary>
    public static string Of(XsdSockmsgType type)
    {
        string name = type.ToString();
        if (char.IsDigit(name[0])) return $"message type {name}";
        var c = new StringBuilder(name.Length + 4);
        for (int i = 0; i < name.Length; i++)
        {
            if (i > 0 && char.IsUpper(name[i])) c.Append('_');
            c.Append(char.ToUpperInvariant(name[i]));
        }
        return c.ToString();
    }
}
