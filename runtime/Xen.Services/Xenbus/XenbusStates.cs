using System.Globalization;
using Xen.Abi.Io;
using Xen.XenStore.Client;

namespace Xen.Services.Xenbus;

/// <summary>Reading and writing a <c>state</c> key (io/xenbus.h's <c>enum xenbus_state</c> in decimal), and its name in logs.</summary>
public static class XenbusStates
{
    private const string Prefix = nameof(XenbusState);

    /// <summary>The state's name without the <c>XenbusState</c> prefix (<c>Connected</c>), or its number when not a known state.</summary>
    public static string NameOf(XenbusState state)
        => Enum.IsDefined(state) ? state.ToString()[Prefix.Length..] : ((uint)state).ToString(CultureInfo.InvariantCulture);

    /// <summary>Reads <paramref name="directory"/>/state; a missing or malformed key reads as <c>XenbusStateUnknown</c> (the peer is not trusted).</summary>
    public static async Task<XenbusState> ReadAsync(XsStoreOperations store, string directory, CancellationToken cancellationToken = default)
    {
        try
        {
            var text = await store.ReadStringAsync(directory + "/state", cancellationToken).ConfigureAwait(false);
            return uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && Enum.IsDefined((XenbusState)value)
                ? (XenbusState)value
                : XenbusState.XenbusStateUnknown;
        }
        catch (XsNotFoundException)
        {
            return XenbusState.XenbusStateUnknown;
        }
    }

    /// <summary>Writes <paramref name="state"/> to <paramref name="directory"/>/state.</summary>
    public static Task WriteAsync(XsStoreOperations store, string directory, XenbusState state, CancellationToken cancellationToken = default)
        => store.WriteAsync(directory + "/state", ((uint)state).ToString(CultureInfo.InvariantCulture), cancellationToken);
}
