using System.Globalization;
using Xen.Abi.Model;

namespace XenGen.RingGenerator
{
    /// <summary>How C scalar types and values become C# ones.</summary>
    internal static class CTypes
    {
        /// <summary>The C# integer type of a size and signedness, or null for sizes C# has no primitive for.</summary>
        public static string? Int(long size, bool signed)
        {
            switch (size)
            {
                case 1: return signed ? "sbyte" : "byte";
                case 2: return signed ? "short" : "ushort";
                case 4: return signed ? "int" : "uint";
                case 8: return signed ? "long" : "ulong";
                default: return null;
            }
        }

        /// <summary>
        /// The C# type of a scalar: integers, chars and enums by size and signedness, <c>_Bool</c> as <c>bool</c>,
        /// floating point as <c>float</c>/<c>double</c>, pointers as an unsigned integer of the target's pointer width
        /// (an address in the guest, never a pointer in this process). Null for anything else.
        /// </summary>
        public static string? Scalar(TypeRef t)
        {
            switch (ModelKinds.Of(t))
            {
                case CTypeKind.Bool: return t.Size == 1 ? "bool" : Int(t.Size, false);
                case CTypeKind.Char:
                case CTypeKind.Int:
                case CTypeKind.Enum: return Int(t.Size, t.Signed ?? true);
                case CTypeKind.Float: return t.Size == 4 ? "float" : t.Size == 8 ? "double" : null;
                case CTypeKind.Pointer: return Int(t.Size, false);
                default: return null;
            }
        }

        /// <summary>
        /// A C# literal of <paramref name="type"/> for the decimal <paramref name="value"/>; a value outside the
        /// type's range is reinterpreted with an unchecked cast, as C would convert it.
        /// </summary>
        public static string? Literal(string value, string type)
        {
            bool negative = value.StartsWith("-");
            if (negative)
            {
                if (!long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long v)) return null;
                bool fits = type == "long" || (type == "int" && v >= int.MinValue) || (type == "short" && v >= short.MinValue) || (type == "sbyte" && v >= sbyte.MinValue);
                string text = v == long.MinValue ? "long.MinValue" : v.ToString(CultureInfo.InvariantCulture) + (v < int.MinValue ? "L" : "");
                return fits ? (type == "long" || type == "int" ? text : "(" + type + ")(" + text + ")") : "unchecked((" + type + ")(" + text + "))";
            }
            if (!ulong.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out ulong u)) return null;
            ulong max;
            switch (type)
            {
                case "sbyte": max = (ulong)sbyte.MaxValue; break;
                case "byte": max = byte.MaxValue; break;
                case "short": max = (ulong)short.MaxValue; break;
                case "ushort": max = ushort.MaxValue; break;
                case "int": max = int.MaxValue; break;
                case "uint": max = uint.MaxValue; break;
                case "long": max = long.MaxValue; break;
                default: max = ulong.MaxValue; break;
            }
            string digits = u.ToString(CultureInfo.InvariantCulture);
            string suffixed = u > long.MaxValue ? digits + "UL" : u > uint.MaxValue ? digits + "L" : u > int.MaxValue ? digits + "U" : digits;
            if (u > max) return "unchecked((" + type + ")" + suffixed + ")";
            switch (type)
            {
                case "int":
                case "long":
                case "uint":
                case "ulong":
                    return type == "uint" && u <= int.MaxValue ? digits + "U" : type == "ulong" && u <= long.MaxValue ? digits + "UL" : suffixed;
                default:
                    return digits;
            }
        }

        /// <summary>A C# string literal.</summary>
        public static string StringLiteral(string s)
        {
            var sb = new System.Text.StringBuilder("\"");
            foreach (char c in s)
            {
                switch (c)
                {
                    case '"': sb.Append("\\\""); break;
                    case '\\': sb.Append("\\\\"); break;
                    case '\n': sb.Append("\\n"); break;
                    case '\r': sb.Append("\\r"); break;
                    case '\t': sb.Append("\\t"); break;
                    case '\0': sb.Append("\\0"); break;
                    default:
                        if (c < ' ') sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                        else sb.Append(c);
                        break;
                }
            }
            return sb.Append('"').ToString();
        }

        /// <summary>A <c>0x...UL</c> literal.</summary>
        public static string Hex(ulong value) => "0x" + value.ToString("X", CultureInfo.InvariantCulture) + "UL";
    }
}
