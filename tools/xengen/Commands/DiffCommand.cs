using System.CommandLine;
using Spectre.Console;
using XenGen.HeaderImporter;
using XenGen.Tool.Diff;

namespace XenGen.Tool.Commands;

/// <summary>
/// <c>xengen diff A B [--arch A|all] [--format md|json] [--fail-on breaking|guest-breaking] [--output FILE]</c>:
/// the ABI changes from release A's committed models to release B's. Exits with 0, with 1 when <c>--fail-on</c>
/// finds what it names, and with 2 on bad input.
/// </summary>
internal static class DiffCommand
{
    /// <summary>The exit status of a diff that <c>--fail-on</c> rejects.</summary>
    public const int FailOnExit = 1;

    /// <summary>The exit status of bad input (a missing release or model, an unknown arch).</summary>
    public const int ErrorExit = 2;

    public static Command Create()
    {
        var from = new Argument<string>("A") { Description = "The older release (its models in xen-public-headers/A/), or a directory of models (any argument with a '/')" };
        var to = new Argument<string>("B") { Description = "The newer release, or a directory of models" };
        var arch = new Option<string>("--arch") { Description = "x86_64, x86_32, arm64, arm32 or all", HelpName = "A", DefaultValueFactory = _ => "all" };
        var format = new Option<string>("--format") { Description = "md (Markdown tables) or json", HelpName = "md|json", DefaultValueFactory = _ => "md" };
        format.AcceptOnlyFromAmong("md", "json");
        var failOn = new Option<string?>("--fail-on")
        {
            Description = "Exit with 1 on a breaking change: \"breaking\" (any, tools-only included) or \"guest-breaking\" (guest-visible ABI only)",
            HelpName = "breaking|guest-breaking",
        };
        failOn.AcceptOnlyFromAmong("breaking", "guest-breaking");
        var output = new Option<string?>("--output") { Description = "Write the report to FILE (atomically) instead of stdout", HelpName = "FILE" };

        var command = new Command("diff", "Report the ABI changes between the committed models of two releases, per architecture and header");
        command.Arguments.Add(from);
        command.Arguments.Add(to);
        command.Options.Add(arch);
        command.Options.Add(format);
        command.Options.Add(failOn);
        command.Options.Add(output);
        CommandAction.Set(command, result =>
        {
            var catalog = GlobalOptions.Catalog(result);
            string modelsDir = Path.GetDirectoryName(catalog.SourcePath)!;
            string a = result.GetValue(from)!, b = result.GetValue(to)!;
            string dirA = ModelSet.Locate(a, modelsDir), dirB = ModelSet.Locate(b, modelsDir);
            string repoRoot = Path.GetDirectoryName(modelsDir)!;

            var arches = Arches(result.GetValue(arch)!);
            var diffs = new List<ArchDiff>();
            DiffSide? sideA = null, sideB = null;
            foreach (var t in arches)
            {
                var ma = ModelSet.Read(a, dirA, t);
                var mb = ModelSet.Read(b, dirB, t);
                sideA ??= new DiffSide(ma.Release, Shown(dirA, repoRoot), ma.InterfaceVersion, ma.HeaderTreeSha256);
                sideB ??= new DiffSide(mb.Release, Shown(dirB, repoRoot), mb.InterfaceVersion, mb.HeaderTreeSha256);
                diffs.Add(AbiDiff.Compare(ma, mb));
            }
            var report = new DiffReport(sideA!, sideB!, diffs);
            string text = result.GetValue(format) == "json" ? report.ToJson() : report.ToMarkdown();
            if (result.GetValue(output) is string file)
            {
                AtomicFile.WriteAllText(file, text);
                Terminal.Out.MarkupLine($"{Markup.Escape(file)}: {Summary(report)}");
            }
            else
            {
                Console.Out.Write(text);
            }
            bool fail = result.GetValue(failOn) switch
            {
                "breaking" => report.HasBreaking,
                "guest-breaking" => report.HasGuestBreaking,
                _ => false,
            };
            if (fail) Terminal.WriteError($"{a} → {b}: breaking changes ({Summary(report)})");
            return fail ? FailOnExit : 0;
        }, ErrorExit);
        return command;
    }

    private static IReadOnlyList<TargetArch> Arches(string value)
    {
        if (value == "all") return TargetArch.All;
        try
        {
            return [TargetArch.Parse(value)];
        }
        catch (ArgumentException e)
        {
            throw new XenGenException("--arch: " + e.Message);
        }
    }

    // Paths inside the repository are shown relative to it, so a committed report does not name the machine.
    private static string Shown(string dir, string repoRoot)
    {
        string rel = Path.GetRelativePath(repoRoot, dir);
        return rel.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(rel) ? dir : rel.Replace('\\', '/') + "/";
    }

    private static string Summary(DiffReport r)
    {
        int Sum(bool tools, ChangeClass c) => r.Arches.Sum(a => a.Count(tools, c));
        return $"{Sum(false, ChangeClass.Breaking)} guest-visible breaking, {Sum(false, ChangeClass.Compatible)} compatible; " +
               $"{Sum(true, ChangeClass.Breaking)} tools-only breaking, {Sum(true, ChangeClass.Compatible)} compatible";
    }
}
