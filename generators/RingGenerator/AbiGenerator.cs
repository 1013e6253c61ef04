using System;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace XenGen.RingGenerator
{
    /// <summary>
    /// Generates the ABI types, constants and ring accessors of the selected Xen headers from the
    /// <c>&lt;release&gt;/&lt;arch&gt;.abi.json</c> model given as an AdditionalFile.
    /// </summary>
    [Generator(LanguageNames.CSharp)]
    public sealed class AbiGenerator : IIncrementalGenerator
    {
        /// <summary>Tracking name of the step that parses the model into file specs.</summary>
        public const string ParseStep = "XenGen.Parse";

        /// <summary>Tracking name of the per-header file specs that feed emission.</summary>
        public const string FileStep = "XenGen.Files";

        private const string ModelSuffix = ".abi.json";

        /// <inheritdoc />
        public void Initialize(IncrementalGeneratorInitializationContext context)
        {
            context.RegisterPostInitializationOutput(spc => spc.AddSource("XenGen.AbiText.g.cs", SourceText.From(Emitter.RenderSupport(), System.Text.Encoding.UTF8)));
            var settings = context.AnalyzerConfigOptionsProvider.Select((options, _) => ReadSettings(options.GlobalOptions));
            var facts = context.CompilationProvider.Select((compilation, _) => new CompilationFacts(
                compilation.Options is CSharpCompilationOptions { AllowUnsafe: true },
                compilation.ReferencedAssemblyNames.Any(a => a.Name == "Xen.Rings")));
            var models = context.AdditionalTextsProvider.Where(t => t.Path.EndsWith(ModelSuffix, StringComparison.OrdinalIgnoreCase)).Collect();

            var results = models.Combine(settings).Combine(facts)
                .Select((input, cancellation) => Parse(input.Left.Left, input.Left.Right, input.Right, cancellation))
                .WithTrackingName(ParseStep);

            var files = results.SelectMany((result, _) => result.Files).WithTrackingName(FileStep);
            context.RegisterSourceOutput(files, Emit);
            context.RegisterSourceOutput(results.Select((result, _) => result.Diagnostics), Report);
        }

        private static void Emit(SourceProductionContext context, FileSpec file)
        {
            var rendered = Emitter.Render(file);
            context.AddSource(file.HintName, SourceText.From(rendered.Source, System.Text.Encoding.UTF8));
            foreach (var message in rendered.Unhandled)
            {
                context.ReportDiagnostic(Diagnostic.Create(Descriptors.UnhandledKind, Location.None, message));
            }
        }

        private static Settings ReadSettings(AnalyzerConfigOptions options)
        {
            string? Get(string name) => options.TryGetValue("build_property." + name, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;
            return new Settings(Get("XenAbiRelease"), Get("XenAbiArch"), Get("XenAbiHeaders"), Get("XenAbiNamespace"), Get("XenAbiVisibility"));
        }

        private static ParseResult Parse(ImmutableArray<AdditionalText> models, Settings settings, CompilationFacts facts, System.Threading.CancellationToken cancellation)
        {
            var missing = new[] { ("XenAbiRelease", settings.Release), ("XenAbiArch", settings.Arch), ("XenAbiHeaders", settings.Headers), ("XenAbiNamespace", settings.Namespace) }
                .Where(s => s.Item2 == null).Select(s => s.Item1).ToList();
            if (missing.Count > 0)
            {
                return ModelParser.Fail(Descriptors.MissingSetting, $"set {string.Join(", ", missing)} (MSBuild properties made visible to the compiler by XenGen.RingGenerator.props)");
            }
            if (Visibilities.Parse(settings.Visibility) == null)
            {
                return ModelParser.Fail(Descriptors.InvalidSetting, $"XenAbiVisibility is '{settings.Visibility}': set it to public (the default) or internal");
            }
            var forRelease = models.Where(m => string.Equals(Path.GetFileName(Path.GetDirectoryName(m.Path)), settings.Release, StringComparison.Ordinal)).ToList();
            var model = forRelease.Where(m => string.Equals(Path.GetFileName(m.Path), settings.Arch + ModelSuffix, StringComparison.Ordinal)).OrderBy(m => m.Path, StringComparer.Ordinal).FirstOrDefault();
            if (model == null)
            {
                if (forRelease.Count == 0)
                {
                    return ModelParser.Fail(Descriptors.ReleaseNotFound, $"no AdditionalFiles model '{settings.Release}/{settings.Arch}{ModelSuffix}': add xen-public-headers/{settings.Release}/{settings.Arch}{ModelSuffix} to AdditionalFiles (models given: {Names(models)})");
                }
                return ModelParser.Fail(Descriptors.ArchNotInModel, $"XenAbiArch '{settings.Arch}' has no model for Xen {settings.Release}; models given: {Names(forRelease)}");
            }
            var text = model.GetText(cancellation);
            if (text == null) return ModelParser.Fail(Descriptors.MalformedModel, $"{model.Path} cannot be read", ModelLocation.File(model.Path));
            try
            {
                return ModelParser.Parse(model.Path, text.ToString(), settings, facts, cancellation);
            }
            catch (Exception e) when (!(e is OperationCanceledException))
            {
                return ModelParser.Fail(Descriptors.InternalError, $"XenGen failed on {model.Path}: {e.GetType().Name}: {e.Message}", ModelLocation.File(model.Path));
            }
        }

        private static string Names(System.Collections.Generic.IEnumerable<AdditionalText> models)
        {
            var names = models.Select(m => Path.GetFileName(Path.GetDirectoryName(m.Path)) + "/" + Path.GetFileName(m.Path)).OrderBy(n => n, StringComparer.Ordinal).ToList();
            return names.Count == 0 ? "none" : string.Join(", ", names);
        }

        private static void Report(SourceProductionContext context, EquatableArray<DiagnosticSpec> diagnostics)
        {
            foreach (var d in diagnostics) context.ReportDiagnostic(d.ToDiagnostic());
        }
    }
}
