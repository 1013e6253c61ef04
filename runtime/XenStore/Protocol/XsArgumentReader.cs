using System.Buffers.Text;

namespace Xen.XenStore.Protocol;

/// <summary>
/// Reads a payload as the header describes it: strings each followed by a NUL, optionally followed by binary
/// data (the value of <c>XS_WRITE</c>). Every read checks the terminator; nothing is allocated.
/// </summary>
public ref struct XsArgumentReader
{
    private ReadOnlySpan<byte> _rest;

    /// <summary>Reads <paramref name="payload"/> from its start.</summary>
    /// <param name="payload">The message payload.</param>
    public XsArgumentReader(ReadOnlySpan<byte> payload) => _rest = payload;

    /// <summary>The bytes not read yet.</summary>
    public readonly ReadOnlySpan<byte> Remaining => _rest;

    /// <summary>Whether every byte has been read.</summary>
    public readonly bool IsAtEnd => _rest.IsEmpty;

    /// <summary>Reads one NUL-terminated string (without its NUL).</summary>
    /// <param name="value">The string's bytes.</param>
    /// <returns>False when no NUL follows: the argument is missing or unterminated.</returns>
    public bool TryReadString(out ReadOnlySpan<byte> value)
    {
        int nul = _rest.IndexOf((byte)0);
        if (nul < 0)
        {
            value = default;
            return false;
        }
        value = _rest[..nul];
        _rest = _rest[(nul + 1)..];
        return true;
    }

    /// <summary>Reads one NUL-terminated unsigned decimal number.</summary>
    /// <param name="value">The number.</param>
    /// <returns>False when the argument is missing, unterminated, empty, not all digits, or out of range.</returns>
    public bool TryReadUInt32(out uint value)
    {
        value = 0;
        return TryReadString(out var text) && XsArgumentReader.TryParseUInt32(text, out value);
    }

    /// <summary>Reads one NUL-terminated unsigned decimal number that fits 64 bits (a frame number).</summary>
    /// <param name="value">The number.</param>
    /// <returns>False when the argument is missing, unterminated or not a number.</returns>
    public bool TryReadUInt64(out ulong value)
    {
        value = 0;
        return TryReadString(out var text) && !text.IsEmpty && Utf8Parser.TryParse(text, out value, out int used) && used == text.Length;
    }

    /// <summary>Takes everything left, NULs included (the binary tail of a payload).</summary>
    /// <returns>The remaining bytes.</returns>
    public ReadOnlySpan<byte> ReadToEnd()
    {
        var rest = _rest;
        _rest = default;
        return rest;
    }

    /// <summary>Parses an unsigned decimal number made only of digits.</summary>
    /// <param name="text">The digits.</param>
    /// <param name="value">The number.</param>
    /// <returns>Whether the text is a decimal number that fits 32 bits.</returns>
    public static bool TryParseUInt32(ReadOnlySpan<byte> text, out uint value)
    {
        value = 0;
        return !text.IsEmpty && text[0] != (byte)'+' && Utf8Parser.TryParse(text, out value, out int used) && used == text.Length;
    }
}
