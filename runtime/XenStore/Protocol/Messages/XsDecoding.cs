namespace Xen.XenStore.Protocol;

/// <summary>What the codecs share: reading the argument shapes of xs_wire payloads and saying what is wrong with one.</summary>
internal static class XsDecoding
{
    public static bool Valid(out string problem)
    {
        problem = "";
        return true;
    }

    public static bool Malformed(out string problem, string what)
    {
        problem = what;
        return false;
    }

    /// <summary>A NUL-terminated string argument named <paramref name="what"/>.</summary>
    public static bool TryString(scoped ref XsArgumentReader reader, out ReadOnlySpan<byte> value, string what, out string problem) =>
        reader.TryReadString(out value) ? Valid(out problem) : Malformed(out problem, $"lacks {what} (a NUL-terminated string)");

    /// <summary>A NUL-terminated decimal number argument named <paramref name="what"/>.</summary>
    public static bool TryNumber(scoped ref XsArgumentReader reader, out uint value, string what, out string problem) =>
        reader.TryReadUInt32(out value) ? Valid(out problem) : Malformed(out problem, $"lacks {what} (a NUL-terminated decimal number)");

    /// <summary>Nothing after the arguments: a request with one string too many is malformed (as C xenstored answers it).</summary>
    public static bool AtEnd(scoped ref XsArgumentReader reader, out string problem) =>
        reader.IsAtEnd ? Valid(out problem) : Malformed(out problem, "has more arguments than the message takes");

    /// <summary>The text of a one-string reply: up to its NUL, or all of it when a server leaves the NUL out.</summary>
    public static ReadOnlySpan<byte> FirstString(ReadOnlySpan<byte> payload)
    {
        int nul = payload.IndexOf((byte)0);
        return nul < 0 ? payload : payload[..nul];
    }
}
