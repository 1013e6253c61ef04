using System.Globalization;
using Xen.XenStore.Client;

namespace Xen.Drivers.Xbf.Negotiation;

/// <summary>Reading a peer's numeric keys: a missing key gives the default, a malformed one a clear error.</summary>
internal static class XenbusKeys
{
    /// <summary>Reads <paramref name="directory"/>/<paramref name="key"/> as a decimal number, <paramref name="missing"/> when absent.</summary>
    /// <exception cref="FormatException">The value is not a decimal number that fits.</exception>
    public static async Task<ulong> ReadNumberAsync(XsStoreOperations store, string directory, string key, ulong missing, CancellationToken cancellationToken)
    {
        string text;
        try
        {
            text = await store.ReadStringAsync($"{directory}/{key}", cancellationToken).ConfigureAwait(false);
        }
        catch (XsNotFoundException)
        {
            return missing;
        }
        if (!ulong.TryParse(text.TrimEnd('\0'), NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            throw new FormatException($"{directory}/{key} = \"{text}\" is not a decimal number");
        return value;
    }

    /// <summary>Reads a required number.</summary>
    /// <exception cref="FormatException">The key is missing or malformed.</exception>
    public static async Task<ulong> ReadRequiredAsync(XsStoreOperations store, string directory, string key, CancellationToken cancellationToken)
    {
        const ulong absent = ulong.MaxValue;
        var value = await ReadNumberAsync(store, directory, key, absent, cancellationToken).ConfigureAwait(false);
        return value == absent ? throw new FormatException($"{directory}/{key} is missing") : value;
    }

    /// <summary>Reads a boolean feature key (<c>1</c> on, anything else or absent off, as blkfront does).</summary>
    public static async Task<bool> ReadFeatureAsync(XsStoreOperations store, string directory, string key, CancellationToken cancellationToken)
    {
        try
        {
            return await ReadNumberAsync(store, directory, key, 0, cancellationToken).ConfigureAwait(false) == 1;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>A number in decimal, as XenStore keys hold them.</summary>
    public static string Decimal(ulong value) => value.ToString(CultureInfo.InvariantCulture);
}
