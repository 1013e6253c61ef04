using Xen.Kernel.Machine;

namespace Xen.Kernel.Store;

/// <summary>ASCII in byte buffers: the store's paths and values, with no strings made at run time.</summary>
public static unsafe class Text
{
    /// <summary>Copies <paramref name="s"/> to <paramref name="buffer"/> at <paramref name="at"/>; the new end.</summary>
    public static uint Put(byte* buffer, uint at, string s)
    {
        for (var i = 0; i < s.Length; i++)
            buffer[at++] = (byte)s[i];
        return at;
    }

    /// <summary>Copies <paramref name="length"/> bytes; the new end.</summary>
    public static uint Put(byte* buffer, uint at, byte* bytes, uint length)
    {
        for (uint i = 0; i < length; i++)
            buffer[at++] = bytes[i];
        return at;
    }

    /// <summary>Whether <paramref name="length"/> bytes spell <paramref name="s"/>.</summary>
    public static bool Equals(byte* bytes, uint length, string s)
    {
        if (length != (uint)s.Length)
            return false;
        for (var i = 0; i < s.Length; i++)
            if (bytes[i] != (byte)s[i]) return false;
        return true;
    }

    /// <summary>The decimal number the bytes spell, if they are only digits and it fits.</summary>
    public static bool TryParseDecimal(byte* bytes, uint length, out uint value)
    {
        value = 0;
        if (length == 0 || length > 9)
            return false;
        for (uint i = 0; i < length; i++)
        {
            if (bytes[i] < '0' || bytes[i] > '9') return false;
            value = value * 10 + (uint)(bytes[i] - '0');
        }
        return true;
    }

    /// <summary>A peer's bytes on the console, at most <paramref name="limit"/>, anything unprintable as '?'.</summary>
    public static void Log(byte* bytes, uint length, uint limit = 128)
    {
        for (uint i = 0; i < length && i < limit; i++)
            Machine.Log.Write(bytes[i] >= 0x20 && bytes[i] < 0x7f ? (char)bytes[i] : '?');
        if (length > limit)
            Machine.Log.Write("...");
    }

    /// <summary>The length of the NUL-terminated entry at <paramref name="at"/>, within <paramref name="end"/>.</summary>
    public static uint EntryLength(byte* bytes, uint at, uint end)
    {
        var i = at;
        while (i < end && bytes[i] != 0) i++;
        return i - at;
    }
}
