using System.Diagnostics;
using Xen.Abi.Model;
using XenGen.HeaderImporter.Clang;

namespace XenGen.HeaderImporter;

/// <summary>
/// Imports the ABI model of a release's public headers with libclang: per architecture, every declaration the
/// headers reach, constants evaluated by clang for the target. The model is that of one unit per applicable header,
/// each parsed as Xen's users include it, after <c>xen.h</c>: some headers (the Linux <c>sys/</c> ones,
/// <c>arch-x86/xen-mca.h</c>) need its types, and others (<c>foreign/*.h</c>) lay out differently without the
/// feature macros it defines. It is computed from one translation unit of every header (see <see cref="OneUnit"/>),
/// with the headers that fail to compile parsed alone; the unit per header remains for what that cannot tell.
/// </summary>
public static class AbiImporter
{
    private const CXTranslationUnitFlags Flags = CXTranslationUnitFlags.DetailedPreprocessingRecord | CXTranslationUnitFlags.SkipFunctionBodies;

    /// <summary>The loaded libclang's version text.</summary>
    public static string LibclangVersion => ClangString.LibclangVersion;

    private static readonly Lazy<Task> Loading = new(() => Task.Run(() => _ = ClangString.LibclangVersion));

    /// <summary>
    /// Starts loading libclang (a large native library) on a worker thread, so that a caller can overlap its load with
    /// its own start-up (reading the tree, hashing it) before <see cref="Import"/>; idempotent.
    /// </summary>
    public static void Preload() => _ = Loading.Value;

    /// <summary>
    /// Imports <paramref name="tree"/> for each of <paramref name="arches"/>, architectures in parallel.
    /// <paramref name="progress"/> is told (arch, header) as each header is parsed, from worker threads.
    /// </summary>
    public static IReadOnlyList<ImportResult> Import(HeaderTree tree, string release, string headerTreeSha256,
        IReadOnlyList<TargetArch> arches, Action<TargetArch, string>? progress = null)
    {
        Preload();
        // The text scan runs beside the first parses (errno, the unit without probes), which do not need it.
        var scan = Task.Run(() => MacroScanner.Candidates(tree));
        var results = new ImportResult[arches.Count];
        using var alias = PublicAlias.Create(tree.XenDir);
        Parallel.For(0, arches.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount },
            i => results[i] = ImportArch(tree, release, headerTreeSha256, arches[i], scan, alias.Directory, progress));
        return results;
    }

    private static ImportResult ImportArch(HeaderTree tree, string release, string sha, TargetArch arch,
        Task<IReadOnlyList<string>> scan, string publicAlias, Action<TargetArch, string>? progress)
    {
        var clock = Stopwatch.StartNew();
        string interfaceVersion = tree.LatestInterfaceVersion;
        using var index = new ClangIndex();
        var errno = ErrnoDefines.Read(index, tree, arch, interfaceVersion);
        var settings = new ParseSettings(tree, arch, interfaceVersion, errno, publicAlias);
        var applicable = tree.Headers.Where(h => HeaderTree.NotApplicable(h, arch) == null).ToList();
        Func<string, string?>? includedBy = null;
        List<TuExtract> units;
        if (OneUnit(index, tree, settings, applicable, scan) is { } one)
        {
            foreach (string header in applicable) progress?.Invoke(arch, header);
            (units, includedBy) = one;
        }
        else
        {
            var candidates = scan.GetAwaiter().GetResult();
            units = [];
            foreach (string header in applicable)
            {
                progress?.Invoke(arch, header);
                units.Add(ParseHeader(index, tree, settings, header, candidates));
            }
            if (LateConstants(index, tree, settings, units, candidates) is { } late) units.Add(late);
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
        assembler.Assemble(model, tree, arch, units, includedBy);
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
        extract.Errors.AddRange(HeaderErrors(tu, tree, main));
        return extract;
    }

    /// <summary>The errors of a unit outside its main file, as <c>header:line: message</c>, in clang's order.</summary>
    private static List<string> HeaderErrors(TranslationUnit tu, HeaderTree tree, string main)
    {
        var errors = new List<string>();
        foreach (var d in tu.Diagnostics())
        {
            // Errors in the probes (macros that are not expressions) are expected; errors in a header are not.
            if (!d.IsError || d.File == main) continue;
            string where = tree.Relative(d.File) ?? d.File;
            errors.Add($"{where}:{d.Line}: {d.Message}");
        }
        return errors;
    }

    /// <summary>The name of the unit of <see cref="OneUnit"/>.</summary>
    private const string EveryHeaderUnit = "(every header)";

    /// <summary>
    /// The import of one architecture from a single translation unit: <c>xen.h</c>, then every applicable header in
    /// order, then the probes of every candidate macro. It gives what the per-header units give (each header parsed
    /// after <c>xen.h</c>, the macros no header's unit evaluates probed with every header that compiles, as
    /// <see cref="LateConstants"/> does) at the cost of one parse and one walk of each declaration:
    /// <list type="bullet">
    /// <item>a header that raises an error in a first parse of them all (without probes) is left out and parsed on its
    /// own after <c>xen.h</c>, as its per-header unit would be; when it fails there too it is skipped with that unit's
    /// errors, else (or when the unit of the others still has errors) the per-header import decides;</item>
    /// <item>which header's unit would have reached a header that failed (<c>includedBy</c>) is the main file's
    /// <c>#include</c> that first brought it in: an earlier header in order would have brought it in first, and a
    /// header that <c>xen.h</c> includes is seen by every unit, so the first header that compiled.</item>
    /// </list>
    /// Null when that cannot be told: the per-header import then runs, as before.
    /// </summary>
    private static (List<TuExtract> Units, Func<string, string?> IncludedBy)? OneUnit(ClangIndex index, HeaderTree tree,
        ParseSettings settings, List<string> applicable, Task<IReadOnlyList<string>> scan)
    {
        if (!applicable.Contains("xen.h")) return null;
        var order = applicable.Where(h => h != "xen.h").Prepend("xen.h").ToList();
        string main = Path.Combine(tree.IncludeDir, "__xengen__", "every-header.c");
        var suspects = HeadersWithErrors(index, tree, settings, main, order);
        if (suspects is null || suspects.Contains("xen.h")) return null; // xen.h: every unit fails, the per-header import says so
        foreach (string header in suspects) order.Remove(header);
        // The suspects alone, on another thread while the unit of the others is parsed and walked.
        var alone = Task.Run(() => Alone(tree, settings, suspects));
        var unsaved = new Dictionary<string, string> { [main] = ConstantProbes.MainFile(order, scan.GetAwaiter().GetResult()) };
        using var every = TranslationUnit.Parse(index, main, settings.Arguments, unsaved, Flags);
        if (HeaderErrors(every, tree, main).Count > 0) return null; // errors remain without the suspects
        var includedFrom = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (file, line) in every.Inclusions())
        {
            if (line < 1 || line > order.Count || tree.Relative(file) is not string header) continue;
            includedFrom.TryAdd(header, line);
        }
        var extract = new DeclarationWalker(every, tree, EveryHeaderUnit, includedFrom: includedFrom).Walk();
        string firstOk = order.Min(StringComparer.Ordinal)!;
        string? IncludedBy(string header) =>
            !extract.HeadersSeen.Contains(header) ? null
            : includedFrom.TryGetValue(header, out int line) && order[line - 1] != "xen.h" ? order[line - 1]
            : firstOk;
        var failed = alone.GetAwaiter().GetResult();
        if (failed is null) return null;
        return ([extract, .. failed], IncludedBy);
    }

    /// <summary>
    /// Each of <paramref name="headers"/> parsed on its own after <c>xen.h</c> (no probes: a unit that fails gives
    /// nothing but its errors), as its per-header unit would be; null when one compiles there, since it then fails
    /// only in the company of other headers.
    /// </summary>
    private static List<TuExtract>? Alone(HeaderTree tree, ParseSettings settings, List<string> headers)
    {
        var units = new List<TuExtract>();
        if (headers.Count == 0) return units;
        using var index = new ClangIndex();
        foreach (string header in headers)
        {
            string main = Path.Combine(tree.IncludeDir, "__xengen__", header + ".c");
            using var tu = TranslationUnit.Parse(index, main, settings.Arguments,
                new Dictionary<string, string> { [main] = ConstantProbes.MainFile(header, []) }, CXTranslationUnitFlags.SkipFunctionBodies);
            var errors = HeaderErrors(tu, tree, main);
            if (errors.Count == 0) return null;
            var unit = new TuExtract { MainHeader = header };
            unit.Errors.AddRange(errors);
            units.Add(unit);
        }
        return units;
    }

    /// <summary>
    /// The headers of <paramref name="order"/> (included in that order, without probes) whose <c>#include</c> brought
    /// in a file with an error; null when an error cannot be put down to one of them.
    /// </summary>
    private static List<string>? HeadersWithErrors(ClangIndex index, HeaderTree tree, ParseSettings settings, string main, List<string> order)
    {
        var unsaved = new Dictionary<string, string> { [main] = ConstantProbes.MainFile(order, []) };
        using var tu = TranslationUnit.Parse(index, main, settings.Arguments, unsaved, CXTranslationUnitFlags.SkipFunctionBodies);
        var errors = tu.Diagnostics().Where(d => d.IsError).ToList();
        if (errors.Count == 0) return [];
        var includer = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (file, line) in tu.Inclusions()) includer.TryAdd(file, line);
        var suspects = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var d in errors)
        {
            if (!includer.TryGetValue(d.File, out int line) || line < 1 || line > order.Count) return null;
            suspects.Add(order[line - 1]);
        }
        return [.. suspects];
    }
}
