using System.Globalization;
using System.Text;

namespace XenGen.Tool.Verify;

/// <summary>C spellings of the model's values.</summary>
internal static class CLiteral
{
    /// <summary>An integer literal of the model's decimal text that keeps its signedness at 64 bits.</summary>
    public static string Integer(string value, bool signed)
    {
        if (!signed) return value + "ULL";
        long v = long.Parse(value, CultureInfo.InvariantCulture);
        return v == long.MinValue ? "(-9223372036854775807LL - 1)" : v < 0 ? $"({v}LL)" : v + "LL";
    }

    /// <summary>A C string literal.</summary>
    public static string String(string s)
    {
        var sb = new StringBuilder("\"");
        foreach (char c in s)
        {
            if (c is '"' or '\\') sb.Append('\\').Append(c);
            else if (c < 0x20 || c > 0x7e) sb.Append($"\\{(int)c:o3}");
            else sb.Append(c);
        }
        return sb.Append('"').ToString();
    }
}
