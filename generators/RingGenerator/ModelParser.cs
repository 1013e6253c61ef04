using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Xen.Abi.Model;

namespace XenGen.RingGenerator
{
    /// <summary>The Parser: one model file and the settings in, equatable file specs and diagnostics out.</summary>
    internal static class ModelParser
    {
        public static ParseResult Parse(string path, string text, Settings settings, CompilationFacts facts, CancellationToken cancellation)
        {
            var diagnostics = new ModelDiagnostics(new ModelLocator(path, text));
            var file = diagnostics.Locator.File;
            AbiModel model;
            try
            {
                model = ModelJson.Read(text, path);
            }
            catch (Exception e)
            {
                return Fail(Descriptors.MalformedModel, $"cannot read the ABI model: {e.Message}", file);
            }
            if (model.Release != settings.Release || model.Arch != settings.Arch)
            {
                return Fail(Descriptors.MalformedModel, $"{path} holds release '{model.Release}' arch '{model.Arch}', but its path says {settings.Release}/{settings.Arch}", file);
            }
            if (!facts.AllowUnsafe)
            {
                return Fail(Descriptors.UnsafeRequired, "the generated ABI structs use fixed buffers and pointers: set <AllowUnsafeBlocks>true</AllowUnsafeBlocks>");
            }
            var headers = SelectHeaders(model, settings.Headers!, diagnostics);
            try
            {
                var files = Build(model, headers, settings.Namespace!, Visibilities.Parse(settings.Visibility) ?? AbiVisibility.Public, facts, diagnostics, cancellation);
                return new ParseResult(files, diagnostics.ToEquatable());
            }
            catch (ModelException e)
            {
                return Fail(Descriptors.MalformedModel, $"{path}: {e.Message}", e.Record == null ? file : diagnostics.Locator.Record(e.Record.Id));
            }
        }

        public static ParseResult Fail(DiagnosticDescriptor descriptor, string message, ModelLocation? location = null) =>
            new ParseResult(EquatableArray<FileSpec>.Empty, new[] { new DiagnosticSpec(descriptor, message, location) }.ToEquatable());

        /// <summary>The headers named by XenAbiHeaders (paths under <c>xen/</c>, or <c>*</c> for all), in model order.</summary>
        private static List<string> SelectHeaders(AbiModel model, string setting, ModelDiagnostics diagnostics)
        {
            var known = model.Headers.ToDictionary(h => h.Path, h => h.Skipped, StringComparer.Ordinal);
            var wanted = new HashSet<string>(StringComparer.Ordinal);
            bool all = false;
            foreach (var raw in setting.Split(new[] { ';', ',' }, StringSplitOptions.RemoveEmptyEntries))
            {
                string name = raw.Trim().Replace('\\', '/');
                if (name.StartsWith("xen/", StringComparison.Ordinal)) name = name.Substring(4);
                if (name.Length == 0) continue;
                if (name == "*") { all = true; continue; }
                if (!known.TryGetValue(name, out var skipped))
                {
                    diagnostics.Add(Descriptors.UnknownHeader,
                        $"XenAbiHeaders names '{name}', which is not a header of the Xen {model.Release} {model.Arch} model; name headers relative to xen/, such as io/xs_wire.h");
                }
                else if (skipped != null)
                {
                    diagnostics.Add(Descriptors.HeaderSkipped, $"'{name}' was not imported for {model.Arch}: {skipped}");
                }
                else
                {
                    wanted.Add(name);
                }
            }
            return model.Headers.Where(h => h.Skipped == null && (all || wanted.Contains(h.Path))).Select(h => h.Path).ToList();
        }

        private static EquatableArray<FileSpec> Build(AbiModel model, List<string> headers, string root, AbiVisibility visibility, CompilationFacts facts, ModelDiagnostics diagnostics, CancellationToken cancellation)
        {
            var selected = new HashSet<string>(headers, StringComparer.Ordinal);
            var index = new ModelIndex(model, selected);
            var names = new NameTable(model, root);
            var records = new RecordBuilder(index, names, diagnostics);
            var values = new ValueBuilder(index, names, diagnostics);
            var rings = new RingBuilder(index, names, diagnostics);
            string source = model.Release + "/" + model.Arch + ".abi.json";

            var types = index.TopLevelRecords.GroupBy(r => r.Header).ToDictionary(g => g.Key, g => g.ToList());
            var enums = model.Enums.Where(e => index.IsEmittedEnum(e.Id)).GroupBy(e => e.Header).ToDictionary(g => g.Key, g => g.ToList());
            var ringDecls = model.Rings.Where(g => selected.Contains(g.Header)).ToList();
            if (ringDecls.Count > 0 && !facts.ReferencesRings)
            {
                diagnostics.Add(Descriptors.RingsRuntimeMissing,
                    $"the selected headers declare {ringDecls.Count} ring(s), whose accessors need the Xen.Rings runtime: reference runtime/Xen.Rings");
                ringDecls.Clear();
            }

            var files = new List<FileSpec>();
            foreach (var header in model.Headers.Select(h => h.Path).Where(h => selected.Contains(h) || types.ContainsKey(h) || enums.ContainsKey(h)))
            {
                cancellation.ThrowIfCancellationRequested();
                bool isSelected = selected.Contains(header);
                var typeSpecs = types.TryGetValue(header, out var rs) ? rs.Select(records.Build).ToEquatable() : EquatableArray<TypeSpec>.Empty;
                var enumSpecs = enums.TryGetValue(header, out var es) ? es.Select(values.BuildEnum).Where(e => e != null).Select(e => e!).ToEquatable() : EquatableArray<EnumSpec>.Empty;
                var constants = isSelected ? values.BuildConstants(header) : null;
                var tables = isSelected ? model.Tables.Where(t => t.Header == header).Select(values.BuildTable).Where(t => t != null).Select(t => t!).ToEquatable() : EquatableArray<TableSpec>.Empty;
                var ringSpecs = ringDecls.Where(g => g.Header == header).Select(rings.Build).Where(g => g != null).Select(g => g!).ToEquatable();
                if (typeSpecs.Count + enumSpecs.Count + tables.Count + ringSpecs.Count == 0 && constants == null) continue;
                files.Add(new FileSpec(visibility, Naming.HintName(header), header, names.Namespace(header), source, typeSpecs, enumSpecs, constants, tables, ringSpecs));
            }
            return files.ToEquatable();
        }
    }
}
