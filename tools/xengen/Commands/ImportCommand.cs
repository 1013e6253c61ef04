using System.CommandLine;
using Spectre.Console;
using XenGen.HeaderImporter;
using XenGen.Tool.Headers;
using XenGen.Tool.Releases;

namespace XenGen.Tool.Commands;

/// <summary>
/// <c>xengen import --release R [--arch A|all]</c>: parses a fetched release with libclang and writes
/// <c>xen-public-headers/R/A.abi.json</c> for each architecture.
/// <c>xengen import --headers DIR [--name N] [--output DIR]</c>: the same for any header tree, unpinned, written
/// outside the committed models unless <c>--output</c> says otherwise.
/// </summary>
internal static class ImportCommand
{
    /// <summary>The name of an unpinned import's models when <c>--name</c> is not given.</summary>
    public const string DefaultLocalName = "local";

    public static Command Create()
    {
        var command = new Command("import", "Import the ABI model of a fetched release (or of any header tree, with --headers) for each architecture");
        var options = new ReleaseArchOptions(command);
        var headers = new Option<string?>("--headers")
        {
            Description = "Import this header tree instead of a pinned release: a directory holding xen/xen.h (an include directory), " +
                          "or one holding xen.h itself (xen/include/public of a Xen source checkout)",
            HelpName = "DIR",
        };
        var name = new Option<string>("--name") { Description = "With --headers: the release name recorded in the models", HelpName = "N", DefaultValueFactory = _ => DefaultLocalName };
        var output = new Option<string?>("--output")
        {
            Description = "With --headers: where to write <arch>.abi.json (default: <cache>/imports/<name>/); refuses the repository's " +
                          "xen-public-headers/ unless --overwrite-committed",
            HelpName = "DIR",
        };
        var overwrite = new Option<bool>("--overwrite-committed") { Description = "With --headers: allow --output to be inside xen-public-headers/" };
        command.Options.Add(headers);
        command.Options.Add(name);
        command.Options.Add(output);
        command.Options.Add(overwrite);
        CommandAction.Set(command, result =>
        {
            AbiImporter.Preload(); // libclang loads while the tree is read and hashed
            var catalog = GlobalOptions.Catalog(result);
            var cache = GlobalOptions.HeaderCache(result);
            var arches = options.Arches(result);
            string modelsDir = Path.GetDirectoryName(catalog.SourcePath)!;
            if (result.GetValue(headers) is string dir)
            {
                if (options.ReleaseGiven(result))
                    throw new XenGenException("--headers and --release: give one (--headers imports an unpinned tree, --release a pinned one)");
                string release = result.GetValue(name)!;
                string outDir = Path.GetFullPath(result.GetValue(output) ?? Path.Combine(cache.Root, "imports", release));
                if (IsInside(outDir, modelsDir) && !result.GetValue(overwrite))
                    throw new XenGenException($"--output {outDir}: inside the committed models ({modelsDir}); pass --overwrite-committed to write there");
                using var tree = LocalTree.Open(dir);
                Terminal.Out.MarkupLine($"[dim]{Markup.Escape(tree.Describe())}[/]");
                return ImportTree(release, tree.Tree, HeaderTreeHash.Compute(tree.Tree.IncludeDir), arches, outDir) == 0 ? 0 : 1;
            }
            int failures = 0;
            foreach (var pin in options.Pins(result, catalog))
            {
                failures += ImportRelease(pin, cache.IncludeDirOf(pin.Release), arches, modelsDir);
            }
            return failures == 0 ? 0 : 1;
        });
        return command;
    }

    private static bool IsInside(string path, string dir)
    {
        string rel = Path.GetRelativePath(Path.GetFullPath(dir), path);
        return rel == "." || (!rel.StartsWith("..", StringComparison.Ordinal) && !Path.IsPathRooted(rel));
    }

    /// <summary>Imports one release; returns how many architectures failed (their models are left untouched).</summary>
    private static int ImportRelease(ReleasePin pin, string includeDir, IReadOnlyList<TargetArch> arches, string modelsDir)
    {
        var tree = new HeaderTree(includeDir);
        if (!string.Equals(tree.LatestInterfaceVersion, pin.InterfaceVersion, StringComparison.OrdinalIgnoreCase))
        {
            throw new XenGenException(
                $"{Path.Combine(tree.XenDir, "xen-compat.h")}: __XEN_LATEST_INTERFACE_VERSION__ is {tree.LatestInterfaceVersion}, but releases.json pins {pin.InterfaceVersion} for {pin.Release}");
        }
        return ImportTree(pin.Release, tree, pin.HeaderTreeSha256, arches, Path.Combine(modelsDir, pin.Release));
    }

    /// <summary>Imports a tree into <c>outDir/&lt;arch&gt;.abi.json</c>; returns how many architectures failed.</summary>
    private static int ImportTree(string release, HeaderTree tree, string sha, IReadOnlyList<TargetArch> arches, string outDir)
    {
        var results = Run(release, tree, sha, arches);
        var table = new Table().Title($"{Markup.Escape(release)} ({Markup.Escape(AbiImporter.LibclangVersion)})");
        foreach (string column in new[] { "arch", "records", "fields", "constants", "enums", "rings", "skipped headers", "time", "model" })
        {
            table.AddColumn(column);
        }
        int failures = 0;
        foreach (var r in results)
        {
            var m = r.Model;
            string written;
            if (r.HasErrors)
            {
                failures++;
                foreach (var d in r.Diagnostics.Where(d => d.IsError))
                {
                    Terminal.WriteError($"{Path.Combine(tree.XenDir, d.Header)}:{d.Line}: {m.Arch}: {d.Message}");
                }
                written = "[red]not written[/]";
            }
            else
            {
                string path = Path.Combine(outDir, m.Arch + ".abi.json");
                written = ModelFile.WriteAtomic(path, m) ? "written" : "unchanged";
            }
            table.AddRow(m.Arch, m.Records.Count.ToString(), m.Records.Sum(x => x.Fields.Count).ToString(), m.Constants.Count.ToString(),
                m.Enums.Count.ToString(), m.Rings.Count.ToString(), m.Headers.Count(h => h.Skipped != null).ToString(),
                $"{r.Elapsed.TotalSeconds:0.00} s", written);
        }
        Terminal.Out.Write(table);
        Terminal.Out.MarkupLine($"[dim]models: {Markup.Escape(outDir)}[/]");
        return failures;
    }

    private static IReadOnlyList<ImportResult> Run(string release, HeaderTree tree, string sha, IReadOnlyList<TargetArch> arches)
    {
        if (Console.IsOutputRedirected)
        {
            return AbiImporter.Import(tree, release, sha, arches);
        }
        IReadOnlyList<ImportResult> results = [];
        AnsiConsole.Progress().Start(ctx =>
        {
            var tasks = arches.ToDictionary(a => a, a => ctx.AddTask($"{release} {a.Name}", maxValue: tree.Headers.Count));
            results = AbiImporter.Import(tree, release, sha, arches, (a, _) => tasks[a].Increment(1));
            foreach (var t in tasks.Values) t.Value = t.MaxValue;
        });
        return results;
    }
}
