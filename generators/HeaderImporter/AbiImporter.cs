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
        using var alias = PublicAlias.Create(tree.XenDir);
        Parallel.For(0, arches.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount },
            i => results[i] = ImportArch(tree, release, headerTreeSha256, arches[i], candidates, alias.Directory, progress));
        return results;
    }

    private static ImportResult ImportArch(HeaderTree tree, string release, string sha, TargetArch arch,
        IReadOnlyList<string> candidates, string publicAlias, Action<TargetArch, string>? progress)
    {
        var clock = Stopwatch.StartNew();
        string interfaceVersion = tree.LatestInterfaceVersion;
        using var index = new ClangIndex();
        var errno = ErrnoDefines.Read(index, tree, arch, interfaceVersion);
        var settings = new ParseSettings(tree, arch, interfaceVersion, errno, publicAlias);
        var units = new List<TuExtract>();
        foreach (string header in tree.Headers)
        {
            if (HeaderTree.NotApplicable(header, arch) != null) continue;
            progress?.Invoke(arch, header);
            var unit = ParseHeader(index, tree, settings, header, candidates);
            units.Add(unit);
        }
        if (LateConstants(index, tree, settings, units, candidates) is { } late) units.Add(late);
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

    /// <summary>
    /// Each header's unit probes the macros defined at its end, but a macro whose expansion names a macro of a header
    /// it does not include (<c>XEN_ACPI_CPU_MAP_LEN</c> in <c>arch-x86/guest-acpi.h</c> uses <c>HVM_MAX_VCPUS</c> of
    /// <c>hvm/hvm_info_table.h</c>) cannot be evaluated there. The macros no unit evaluated are probed once more in
    /// one unit that includes every header that compiled, <c>xen.h</c> first: the context in which
    /// <c>xengen verify</c> proves every constant. Only their values are taken from it, with the definition's header
    /// and line; null when there is nothing left to probe.
    /// </summary>
    private static TuExtract? LateConstants(ClangIndex index, HeaderTree tree, ParseSettings settings, List<TuExtract> units, IReadOnlyList<string> candidates)
    {
        var ok = units.Where(u => !u.Failed).ToList();
        var evaluated = new HashSet<string>(ok.SelectMany(u => u.Constants.Select(c => c.Name)), StringComparer.Ordinal);
        var defined = new HashSet<string>(ok.SelectMany(u => u.MacrosDefined), StringComparer.Ordinal);
        var missing = candidates.Where(n => defined.Contains(n) && !evaluated.Contains(n)).ToList();
        if (missing.Count == 0) return null;

        var headers = ok.Select(u => u.MainHeader).Where(h => h != "xen.h").Order(StringComparer.Ordinal).Prepend("xen.h");
        string main = Path.Combine(tree.IncludeDir, "__xengen__", "late-constants.c");
        var unsaved = new Dictionary<string, string> { [main] = ConstantProbes.MainFile(headers, missing) };
        using var tu = TranslationUnit.Parse(index, main, settings.Arguments, unsaved, Flags);
        var walked = new DeclarationWalker(tu, tree, LateConstantsUnit, constantsOnly: true).Walk();
        var late = new TuExtract { MainHeader = LateConstantsUnit };
        late.Constants.AddRange(walked.Constants);
        return late;
    }

    /// <summary>The name of the unit of <see cref="LateConstants"/>, which is no header.</summary>
    private const string LateConstantsUnit = "(every header)";

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
