using System.Globalization;

namespace Xen.Drivers.Xnf;

/// <summary>An Ethernet address as XenStore writes it (<c>00:16:3e:01:00:00</c>).</summary>
public readonly record struct MacAddress(ulong Value)
{
    /// <summary>Parses six colon-separated hex octets.</summary>
    public static bool TryParse(string text, out MacAddress address)
    {
        address = default;
        var parts = text.Split(':');
        if (parts.Length != 6) return false;
        ulong value = 0;
        foreach (var part in parts)
        {
            if (part.Length != 2 || !byte.TryParse(part, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var octet)) return false;
            value = value << 8 | octet;
        }
        address = new MacAddress(value);
        return true;
    }

    /// <inheritdoc/>
    public override string ToString()
    {
        var value = Value;
        return string.Join(':', Enumerable.Range(0, 6).Select(i => ((byte)(value >> (40 - 8 * i))).ToString("x2", CultureInfo.InvariantCulture)));
    }
}
