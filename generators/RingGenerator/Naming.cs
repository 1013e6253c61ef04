using System;
using System.Collections.Generic;
using System.Text;

namespace XenGen.RingGenerator
{
    /// <summary>
    /// The one naming rule, applied to every C name (see README.md): split on '_', '-', '.', drop empty parts,
    /// lower-case a part that has no lower-case letter, upper-case each part's first letter, and join. A name that
    /// starts with underscores keeps one leading '_'; a result starting with a digit gets a leading '_'.
    /// </summary>
    internal static class Naming
    {
        public static string Pascal(string cName)
        {
            var sb = new StringBuilder(cName.Length);
            foreach (var raw in cName.Split(new[] { '_', '-', '.' }, StringSplitOptions.RemoveEmptyEntries))
            {
                string part = HasLower(raw) ? raw : raw.ToLowerInvariant();
                sb.Append(char.ToUpperInvariant(part[0])).Append(part, 1, part.Length - 1);
            }
            if (sb.Length == 0) sb.Append("Unnamed");
            if (cName.StartsWith("_", StringComparison.Ordinal) || char.IsDigit(sb[0])) sb.Insert(0, '_');
            return sb.ToString();
        }

        /// <summary>A type's name: the rule applied to the tag or typedef, after dropping a trailing <c>_t</c>.</summary>
        public static string TypeName(string cName) =>
            Pascal(cName.Length > 2 && cName.EndsWith("_t", StringComparison.Ordinal) ? cName.Substring(0, cName.Length - 2) : cName);

        /// <summary>The namespace of a header: the root, then each folder of its path under <c>xen/</c>.</summary>
        public static string HeaderNamespace(string root, string headerPath)
        {
            var parts = headerPath.Split('/');
            var sb = new StringBuilder(root);
            for (int i = 0; i < parts.Length - 1; i++) sb.Append('.').Append(Pascal(parts[i]));
            return sb.ToString();
        }

        /// <summary>The constants class of a header: the rule applied to the file name without <c>.h</c>.</summary>
        public static string HeaderClass(string headerPath)
        {
            string file = headerPath.Substring(headerPath.LastIndexOf('/') + 1);
            if (file.EndsWith(".h", StringComparison.Ordinal)) file = file.Substring(0, file.Length - 2);
            return Pascal(file);
        }

        /// <summary>A source hint name for a header's generated file, such as <c>io.xs_wire.g.cs</c>.</summary>
        public static string HintName(string headerPath)
        {
            var sb = new StringBuilder();
            foreach (char c in headerPath.EndsWith(".h", StringComparison.Ordinal) ? headerPath.Substring(0, headerPath.Length - 2) : headerPath)
            {
                sb.Append(char.IsLetterOrDigit(c) || c == '_' || c == '-' ? c : '.');
            }
            return sb.Append(".g.cs").ToString();
        }

        private static bool HasLower(string s)
        {
            foreach (char c in s)
            {
                if (char.IsLower(c)) return true;
            }
            return false;
        }
    }

    /// <summary>
    /// Names already taken in one scope (a namespace or a type). A name that is taken gets <c>_2</c>, <c>_3</c>, ...
    /// in the order the model lists the declarations.
    /// </summary>
    internal sealed class NameScope
    {
        private readonly HashSet<string> _taken = new HashSet<string>(StringComparer.Ordinal);

        public NameScope(params string[] reserved)
        {
            foreach (var r in reserved) _taken.Add(r);
        }

        public string Claim(string wanted)
        {
            if (_taken.Add(wanted)) return wanted;
            for (int n = 2; ; n++)
            {
                string candidate = wanted + "_" + n;
                if (_taken.Add(candidate)) return candidate;
            }
        }

        public bool IsTaken(string name) => _taken.Contains(name);
    }
}
