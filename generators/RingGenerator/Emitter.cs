using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using Scriban;
using Scriban.Runtime;

namespace XenGen.RingGenerator
{
    /// <summary>The Emitter: renders a <see cref="FileSpec"/> through the embedded Scriban templates. It decides nothing.</summary>
    internal static class Emitter
    {
        private static readonly Lazy<Dictionary<string, Template>> Templates = new Lazy<Dictionary<string, Template>>(Load);

        public static string Render(FileSpec file)
        {
            var blocks = new List<string>();
            blocks.AddRange(file.Enums.Select(e => Render("enum", e)));
            if (file.Constants != null) blocks.Add(Render("constants", file.Constants));
            blocks.AddRange(file.Tables.Select(t => Render("table", t)));
            blocks.AddRange(file.Types.Select(RenderType));
            blocks.AddRange(file.Rings.Select(r => Render("ring_" + r.Kind, r)));
            return Render("file", file, blocks);
        }

        /// <summary>The helpers every generated file may use, emitted once per compilation.</summary>
        public static string RenderSupport() => Render("support", new object());

        private static string RenderType(TypeSpec type) =>
            Render("record", type, type.Nested.Select(n => Indent(RenderType(n))).ToList());

        private static string Render(string name, object spec, List<string>? blocks = null)
        {
            var globals = new ScriptObject();
            globals["s"] = spec;
            globals["blocks"] = blocks ?? new List<string>();
            var context = new TemplateContext
            {
                MemberRenamer = member => member.Name,
                StrictVariables = true,
                LoopLimit = int.MaxValue,
                NewLine = "\n",
            };
            context.PushGlobal(globals);
            return Templates.Value[name].Render(context);
        }

        private static string Indent(string text)
        {
            var sb = new StringBuilder(text.Length + 256);
            foreach (var line in text.Split('\n'))
            {
                if (sb.Length > 0) sb.Append('\n');
                if (line.Length > 0) sb.Append("    ").Append(line);
            }
            return sb.ToString();
        }

        private static Dictionary<string, Template> Load()
        {
            const string prefix = "XenGen.RingGenerator.Templates.";
            var assembly = typeof(Emitter).Assembly;
            var templates = new Dictionary<string, Template>(StringComparer.Ordinal);
            foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(prefix, StringComparison.Ordinal)))
            {
                using var reader = new StreamReader(assembly.GetManifestResourceStream(resource)!);
                var template = Template.Parse(reader.ReadToEnd().Replace("\r\n", "\n"), resource);
                if (template.HasErrors) throw new InvalidOperationException($"template {resource}: {string.Join("; ", template.Messages)}");
                templates[resource.Substring(prefix.Length, resource.Length - prefix.Length - ".scriban".Length)] = template;
            }
            return templates;
        }
    }
}
