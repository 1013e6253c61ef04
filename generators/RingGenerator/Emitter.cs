using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using Scriban;
using Scriban.Runtime;

namespace XenGen.RingGenerator
{
    /// <summary>
    /// The Emitter: renders a <see cref="FileSpec"/> through the embedded Scriban templates. It decides nothing, and a
    /// kind no template handles is reported (<see cref="Rendered.Unhandled"/>), never left out silently.
    /// </summary>
    internal static class Emitter
    {
        private static readonly Lazy<Dictionary<string, Template>> Templates = new Lazy<Dictionary<string, Template>>(Load);

        public static Rendered Render(FileSpec file)
        {
            var unhandled = new List<string>();
            string? visibility = Visibilities.Keyword(file.Visibility);
            if (visibility == null)
            {
                unhandled.Add($"visibility {file.Visibility} has no C# keyword");
                visibility = "internal";
            }
            var blocks = new List<string>();
            blocks.AddRange(file.Enums.Select(e => Render("enum", e, visibility, unhandled)));
            if (file.Constants != null) blocks.Add(Render("constants", file.Constants, visibility, unhandled));
            blocks.AddRange(file.Tables.Select(t => Render("table", t, visibility, unhandled)));
            blocks.AddRange(file.Types.Select(t => RenderType(t, visibility, unhandled)));
            foreach (var ring in file.Rings)
            {
                string? template = RingTemplate(ring.Kind);
                if (template != null) blocks.Add(Render(template, ring, visibility, unhandled));
                else unhandled.Add($"ring {ring.Name} has kind {ring.Kind}, which no ring template handles");
            }
            string source = Render("file", file, visibility, unhandled, blocks);
            return new Rendered(source, unhandled.Select(u => $"{u} (generating {file.HintName} from {file.Model}); this is a generator bug").ToEquatable());
        }

        /// <summary>The helpers every generated file may use, emitted once per compilation.</summary>
        public static string RenderSupport() => Render("support", new object(), "internal", new List<string>());

        /// <summary>The template of each ring kind; null for a kind without one.</summary>
        internal static string? RingTemplate(RingKind kind)
        {
            switch (kind)
            {
                case RingKind.RequestResponse: return "ring_ring";
                case RingKind.Byte: return "ring_byte";
                case RingKind.Flex: return "ring_flex";
                default: return null;
            }
        }

        internal static string RenderType(TypeSpec type, string visibility, List<string> unhandled) =>
            Render("record", type, visibility, unhandled, type.Nested.Select(n => Indent(RenderType(n, visibility, unhandled))).ToList());

        // visibility: the keyword the template gives its top-level types.
        private static string Render(string name, object spec, string visibility, List<string> unhandled, List<string>? blocks = null)
        {
            var globals = new ScriptObject();
            globals["s"] = spec;
            globals["visibility"] = visibility;
            globals["blocks"] = blocks ?? new List<string>();
            // Called by a template's last case: records the kind it was given and writes nothing.
            globals.Import("unhandled", new Func<string, object, string>((what, kind) =>
            {
                unhandled.Add($"{what} has kind {kind}, which {name}.scriban does not handle");
                return "";
            }));
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

    /// <summary>A rendered source file and what its templates could not render.</summary>
    internal sealed record Rendered(string Source, EquatableArray<string> Unhandled);
}
