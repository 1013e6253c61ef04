using System.Diagnostics;
using Xen.Abi.Model;
using XenGen.HeaderImporter.Clang;

namespace XenGen.HeaderImporter;

/// <summary>
/// Imports the ABI model of a release's public headers with libclang: one parse per applicable header and
/// architecture, every declaration the parse reaches, constants evaluated by clang for the target.
/// Each header is parsed as Xen's users include it, after <c>xen.h</c>: some headers (the Linux
/// <c>sys/</c> ones, <c>arch-x86/xen-mca.h</c>) need its types, and others (<c>foreign/*.h</c>) lay out
/// differently without the feature macros it defines.
/// </summary>
public static class AbiImporter
{
    private const CXTranslationUnitFlags Flags = CXTranslationUnitFlags.DetailedPreprocessingRecord | CXTranslationUnitFlags.SkipFunctionBodies;

    /// <summary>The loaded libclang's version text.</summary>
    public static string LibclangVersion => ClangString.LibclangVersion;

    /// <summary>
    /// Imports <paramref name="tree"/> for each of <paramref name="arches"/>, architectures in parallel.
    /// <paramref name="progress"/> is told (arch, header) as each header is parsed, from worker threads.
    /// </summary>
    public static IReadOnlyList<ImportResult> Import(HeaderTree tree, string release, string headerTreeSha256,
        IReadOnlyList<TargetArch> arches, Action<TargetArch, string>? progress = null)
    {
        var candidates = MacroScanner.Candidates(tree);
        var results = new ImportResult[arches.Count];
        Parallel.For(0, arches.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount },
            i => results[i] = ImportArch(tree, release, headerTreeSha256, arches[i], candidates, progress));
        return results;
    }

    private static ImportResult ImportArch(HeaderTree tree, string release, string sha, TargetArch arch,
        IReadOnlyList<string> candidates, Action<TargetArch, string>? progress)
    {
        var clock = Stopwatch.StartNew();
        string interfaceVersion = tree.LatestInterfaceVersion;
        using var index = new ClangIndex();
        var errno = ErrnoDefines.Read(index, tree, arch, interfaceVersion);
        var settings = new ParseSettings(tree, arch, interfaceVersion, errno);
        var units = new List<TuExtract>();
        foreach (string header in tree.Headers)
        {
            if (HeaderTree.NotApplicable(header, arch) != null) continue;
            progress?.Invoke(arch, header);
            var unit = ParseHeader(index, tree, settings, header, candidates);
            units.Add(unit);
        }
        var model = new AbiModel
        {
            Release = release,
            Arch = arch.Name,
            Triple = arch.Triple,
            InterfaceVersion = interfaceVersion,
            HeaderTreeSha256 = sha,
            Defines = settings.Defines.ToList(),
        };
        var assembler = new ModelAssembler();
        assembler.Assemble(model, tree, arch, units);
        var diagnostics = assembler.Diagnostics.ToList();
        if (model.Headers.FirstOrDefault(h => h.Path == "xen.h")?.Skipped is string why)
        {
            diagnostics.Add(new ImportDiagnostic("xen.h", 1, $"the core header does not parse for {arch.Name}: {why}", IsError: true));
        }
        return new ImportResult(model, diagnostics, clock.Elapsed);
    }

    private static TuExtract ParseHeader(ClangIndex index, HeaderTree tree, ParseSettings settings, string header, IReadOnlyList<string> candidates)
    {
        string main = Path.Combine(tree.IncludeDir, "__xengen__", header + ".c");
        var unsaved = new Dictionary<string, string> { [main] = ConstantProbes.MainFile(header, candidates) };
        using var tu = TranslationUnit.Parse(index, main, settings.Arguments, unsaved, Flags);
        var extract = new DeclarationWalker(tu, tree, header).Walk();
        foreach (var d in tu.Diagnostics())
        {
            // Errors in the probes (macros that are not expressions) are expected; errors in a header are not.
            if (!d.IsError || d.File == main) continue;
            string where = tree.Relative(d.File) ?? d.File;
            extract.Errors.Add($"{where}:{d.Line}: {d.Message}");
        }
        return extract;
    }
}
