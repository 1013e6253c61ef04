using System.CommandLine;
using Spectre.Console;
using XenGen.HeaderImporter;
using XenGen.Tool.Releases;

namespace XenGen.Tool.Commands;

/// <summary>
/// <c>xengen import --release R [--arch A|all]</c>: parses a fetched release with libclang and writes
/// <c>xen-public-headers/R/A.abi.json</c> for each architecture.
/// </summary>
internal static class ImportCommand
{
    public static Command Create()
    {
        var command = new Command("import", "Import the ABI model of a fetched release for each architecture");
        var options = new ReleaseArchOptions(command);
        CommandAction.Set(command, result =>
        {
            var catalog = GlobalOptions.Catalog(result);
            var cache = GlobalOptions.HeaderCache(result);
            var arches = options.Arches(result);
            string modelsDir = Path.GetDirectoryName(catalog.SourcePath)!;
            int failures = 0;
            foreach (var pin in options.Pins(result, catalog))
            {
                failures += ImportRelease(pin, cache.IncludeDirOf(pin.Release), arches, modelsDir);
            }
            return failures == 0 ? 0 : 1;
        });
        return command;
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
        var results = Run(pin.Release, tree, pin.HeaderTreeSha256, arches);
        var table = new Table().Title($"{Markup.Escape(pin.Release)} ({Markup.Escape(AbiImporter.LibclangVersion)})");
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
                string path = ModelFile.PathOf(modelsDir, pin.Release, m.Arch);
                written = ModelFile.WriteAtomic(path, m) ? "written" : "unchanged";
            }
            table.AddRow(m.Arch, m.Records.Count.ToString(), m.Records.Sum(x => x.Fields.Count).ToString(), m.Constants.Count.ToString(),
                m.Enums.Count.ToString(), m.Rings.Count.ToString(), m.Headers.Count(h => h.Skipped != null).ToString(),
                $"{r.Elapsed.TotalSeconds:0.00} s", written);
        }
        Terminal.Out.Write(table);
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
